import Foundation
import GRDB

/// How ``Warehouse/readFeatures(view:asOf:users:partitions:)`` splits a feature view into ranges
/// of user ids read at once (see ``AsOfSnapshot``).
///
/// Only a bundled feature view, with every bundled view installed unchanged: their rows each
/// depend on one user's events only, so the ranges' rows together are the rows of one read. Any
/// other view is read on one connection. The ranges hold about equal numbers of events: their
/// bounds are quantiles of the user ids of events sampled at evenly spaced event ids.
public struct FeaturePartitions: Sendable {
    /// Ranges read at once (≥ 1; default: the active processor count, at most 4).
    public var count: Int
    /// Below this many events, one read: threads and connections would cost more than they save.
    public var minimumEvents: Int

    public init(count: Int = min(4, ProcessInfo.processInfo.activeProcessorCount), minimumEvents: Int = 200_000) {
        self.count = count
        self.minimumEvents = minimumEvents
    }

    /// Events sampled to place the bounds.
    static let sampleSize = 1_000

    /// The user ranges for `view` (`[nil]`: one read of all users).
    func ranges(for view: String, in db: Database) throws -> [AsOfSnapshot.UserRange?] {
        guard count > 1, Warehouse.bundledViewHashes[view] != nil, try Warehouse.bundledViewsUnchanged(db),
              let span = try Row.fetchOne(db, sql: "select min(event_id) as low, max(event_id) as high from main.events"),
              let low: Int64 = span["low"], let high: Int64 = span["high"], high - low + 1 >= Int64(minimumEvents) else {
            return [nil]
        }
        let sample = try db.makeStatement(sql: "select user_id from main.events where event_id >= ? order by event_id limit 1")
        let step = Double(high - low) / Double(Self.sampleSize - 1)
        let users = try (0..<Self.sampleSize).compactMap { i in
            try String.fetchOne(sample, arguments: [low + Int64((Double(i) * step).rounded(.down))])
        }.sorted()
        var bounds: [String] = []
        for k in 1..<count {
            let bound = users[k * users.count / count]
            if bound > (bounds.last ?? "") { bounds.append(bound) }
        }
        guard !bounds.isEmpty else { return [nil] }
        let lowers: [String?] = [nil] + bounds, uppers: [String?] = bounds + [nil]
        return zip(lowers, uppers).map { AsOfSnapshot.UserRange(lower: $0, upper: $1) }
    }
}
