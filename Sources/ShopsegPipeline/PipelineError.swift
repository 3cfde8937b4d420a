/// Failures of a build that are about the data against the options asked for.
public enum PipelineError: Error, Equatable, CustomStringConvertible {
    /// Fewer users in the feature view than segments asked for.
    case tooFewUsers(users: Int, k: Int, view: String)

    public var description: String {
        switch self {
        case let .tooFewUsers(users, k, view):
            return "--k \(k) needs at least \(k) users, but \(view) has \(users) at this as_of; pass a smaller --k"
        }
    }
}
