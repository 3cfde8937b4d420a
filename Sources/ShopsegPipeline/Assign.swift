import Foundation
import ShopsegWarehouse

/// What `assign` did, for the command's output and `--json`.
public struct AssignSummary: Sendable, Codable, Equatable {
    public let runId: Int64
    public let asOf: String
    /// Users with events loaded after the run read its features.
    public let usersChanged: Int
    /// Users placed (changed users present in the feature view).
    public let usersAssigned: Int
    /// Of them, users the run did not have before.
    public let usersNew: Int
    /// segment_id → users placed in it (-1 = noise).
    public let bySegment: [String: Int]
    public var durationSeconds: Double
}

/// Places users who are new or changed since the published run into its segments with the
/// stored model (no reclustering) and writes them into that run's user_segments as `assigned`.
/// Features are computed at the latest event time. Takes the same lock as `build`.
public struct Assign {
    public let warehouse: Warehouse

    public init(warehouse: Warehouse) {
        self.warehouse = warehouse
    }

    /// - Throws: ``PipelineError/busy(database:runningRunId:startedAt:pid:)``, ``PipelineError/nothingPublished``,
    ///   ``PipelineError/modelMismatch(message:)``, `WarehouseError`, `DatabaseError`.
    public func run() throws -> AssignSummary {
        let started = Date()
        let lock = try WriterLock.acquire(warehouse)
        defer { withExtendedLifetime(lock) {} }
        try warehouse.prepareSchema()
        // Nothing published: say so at once (no index built for nothing).
        guard let target = try warehouse.assignTarget() else { throw PipelineError.nothingPublished }
        try warehouse.buildDeferredIndexes()
        let model = try warehouse.readModel(runId: target.runId)
        let changed = try warehouse.usersWithEvents(after: target.lastEventId)
        guard !changed.isEmpty, let asOf = try warehouse.latestEventTime() else {
            return AssignSummary(runId: target.runId, asOf: target.asOf, usersChanged: 0, usersAssigned: 0, usersNew: 0,
                                 bySegment: [:], durationSeconds: Date().timeIntervalSince(started))
        }
        let table = try warehouse.readFeatures(view: target.featureView, asOf: asOf, users: changed)
        let placement = try ModelPlacement(model: model, tableColumns: table.columnNames)
        let d = table.columnNames.count
        var rows: [SegmentAssignment] = []
        var bySegment: [String: Int] = [:]
        for (i, user) in table.userIds.enumerated() {
            let placed = placement.place(table.values[(i * d)..<((i + 1) * d)])
            rows.append(SegmentAssignment(userId: user, segmentId: placed.segmentId, distanceToCentroid: placed.distance,
                                          pc1: placed.pc1, pc2: placed.pc2))
            bySegment[String(placed.segmentId), default: 0] += 1
        }
        let added = try warehouse.writeAssigned(runId: target.runId, rows)
        return AssignSummary(runId: target.runId, asOf: asOf, usersChanged: changed.count, usersAssigned: rows.count,
                             usersNew: added, bySegment: bySegment, durationSeconds: Date().timeIntervalSince(started))
    }
}
