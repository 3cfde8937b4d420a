import Foundation
import GRDB
import ShopsegIngest

/// Runtime failures of the warehouse. Messages name the file, line, view or SQL involved;
/// customer values stay out of them unless they are the evidence (a reject's column value).
public enum WarehouseError: Error, Equatable, CustomStringConvertible {
    /// The SQL folder (`--sql-dir` or the bundled copy) is missing or unreadable.
    case sqlDirectory(path: String, message: String)
    /// A migration or feature-view file failed to apply; carries SQLite's message.
    case sqlFile(name: String, message: String)
    /// The same file content was loaded before into the same target.
    case alreadyLoaded(file: String, target: String, batchId: Int64, loadedAt: String)
    /// Too many rows were refused; nothing was written.
    case rejectRateExceeded(file: String, rejected: Int, read: Int, limit: Double, firstRejects: [String])
    /// The file held no data rows at all.
    case emptyFile(file: String)
    /// The file's size or modification time changed while it loaded (still being written?).
    case changedWhileLoading(file: String)
    /// The feature view is missing or has no usable shape.
    case featureView(name: String, message: String)
    /// No events were loaded, so nothing can be computed.
    case noEvents
    /// Every event is after `as_of`.
    case noEventsBefore(asOf: String, firstEventAt: String, lastEventAt: String)
    /// The database file cannot be opened or is not a SQLite database.
    case cannotOpen(path: String, reason: String)
    /// `--as-of` could not be read.
    case badAsOf(String)
    /// Run ledger problem (unknown run, etc.).
    case run(message: String)
    /// A campaign file (`queries/campaigns/*.sql`) is malformed, or its SELECT failed to compile
    /// or run; names the file, the line when known, and the rule broken or SQLite's message.
    case campaign(file: String, line: Int?, message: String)

    public var description: String {
        switch self {
        case let .sqlDirectory(path, message):
            return "SQL folder \(path): \(message); pass --sql-dir pointing at a folder with migrations/ and queries/features/"
        case let .sqlFile(name, message):
            return "\(name): \(message)"
        case let .alreadyLoaded(file, target, batchId, loadedAt):
            return "\(file): this content was already loaded into \(target) as batch \(batchId) at \(loadedAt); nothing was loaded (pass --force to load it again)"
        case let .rejectRateExceeded(file, rejected, read, limit, firstRejects):
            let rate = read == 0 ? 0 : Double(rejected) / Double(read)
            var text = "\(file): \(NumberText.grouped(rejected)) of \(NumberText.grouped(read)) rows rejected (\(Self.percent(rate))), above --max-reject-rate \(Self.percent(limit)); nothing was loaded"
            if !firstRejects.isEmpty { text += "\n  " + firstRejects.joined(separator: "\n  ") }
            return text
        case let .emptyFile(file):
            return "\(file): no data rows; nothing was loaded"
        case let .changedWhileLoading(file):
            return "\(file) changed while it was loading (is it still being written?); nothing was loaded — load it once it is complete"
        case let .featureView(name, message):
            return "feature view \(name): \(message)"
        case .noEvents:
            return "no events loaded; run `shopseg load events FILE` first"
        case let .noEventsBefore(asOf, first, last):
            return "no events at or before as_of \(asOf): the events span \(first) to \(last)"
        case let .cannotOpen(path, reason):
            return "cannot open database \(path): \(reason)"
        case let .badAsOf(text):
            return "--as-of \(text): expected a date (2024-03-31) or a UTC date-time (2024-03-31T23:59:59Z)"
        case let .run(message):
            return message
        case let .campaign(file, line, message):
            return "campaign \(file)\(line.map { ":\($0)" } ?? ""): \(message)"
        }
    }

    static func percent(_ fraction: Double) -> String {
        String(format: "%.2f%%", fraction * 100)
    }
}

/// Whether `error` is SQLite's SQLITE_BUSY ("database is locked"): another connection held the
/// file's lock for longer than ``Warehouse/busyTimeoutSeconds`` (a load, a build publishing, an
/// index build). Worth retrying later; the command did nothing.
public func isDatabaseLocked(_ error: Error) -> Bool {
    (error as? DatabaseError)?.resultCode == .SQLITE_BUSY
}
