/// Failures of a build or an assign that are about the data, the options or another process.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    /// Fewer users in the feature view than segments asked for.
    case tooFewUsers(users: Int, k: Int, view: String)
    /// `--k auto:LO-HI` needs more than LO users.
    case tooFewUsersForRange(users: Int, range: ClosedRange<Int>, view: String)
    /// Another build or assign holds the database's lock.
    case busy(database: String, runningRunId: Int64?, startedAt: String?, pid: Int?)
    /// A quality gate refused to publish; `gate` is the option's name.
    case qualityGate(gate: String, message: String)
    /// `assign` needs a published run.
    case nothingPublished
    /// A setting whose implementation has not landed yet.
    case notBuilt(feature: String)
    /// The stored model does not fit the feature view (a column was removed, a table edited).
    case modelMismatch(message: String)
    /// `generate --db` into a warehouse that already has events (its user ids would mix with them).
    case warehouseHasEvents(database: String, events: Int)

    public var description: String {
        switch self {
        case let .tooFewUsers(users, k, view):
            return "--k \(k) needs at least \(k) users, but \(view) has \(users) at this as_of; pass a smaller --k"
        case let .tooFewUsersForRange(users, range, view):
            return "--k auto:\(range.lowerBound)-\(range.upperBound) needs more than \(range.lowerBound) users, but \(view) has \(users) at this as_of; lower the range"
        case let .busy(database, runId, startedAt, pid):
            let who = runId.map { "run \($0) (started \(startedAt ?? "?")\(pid.map { ", pid \($0)" } ?? ""))" } ?? "an assign"
            return "\(database) is busy: \(who) is running; try again when it finishes"
        case let .qualityGate(gate, message):
            return "quality gate \(gate) failed: \(message); nothing was published"
        case .nothingPublished:
            return "no published run yet; run `shopseg build` first"
        case let .notBuilt(feature):
            return "\(feature) is not available in this version"
        case let .modelMismatch(message):
            return "cannot assign with the published run's model: \(message); run `shopseg build`"
        case let .warehouseHasEvents(database, events):
            return "\(database) already has \(events) events: a generated shop's user ids (U000000, …) would mix with "
                + "them and synthetic_truth would describe only the new shop; generate into a new database (--db NEW.db), "
                + "or write files with --out"
        }
    }
}
