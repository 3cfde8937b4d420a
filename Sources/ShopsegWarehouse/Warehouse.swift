import CSQLiteSetup
import Foundation
import GRDB

/// A shopseg database file: raw tables, feature views, run tables.
///
/// Opens (creating if needed) a SQLite file in WAL journal mode with a busy timeout, so that
/// BI readers and the nightly writer coexist. Schema changes come only from ``prepareSchema()``.
///
/// ```swift
/// let warehouse = try Warehouse(path: "shopseg.db")
/// try warehouse.prepareSchema()
/// ```
public final class Warehouse: Sendable {
    /// The database file path as given.
    public let path: String
    /// Where migrations and feature views are read from.
    public let sql: SQLDirectory
    let pool: DatabasePool

    /// Seconds a connection waits for a lock before failing with SQLITE_BUSY.
    public static let busyTimeoutSeconds: TimeInterval = 30

    /// Opens or creates the database at `path`.
    /// - Throws: GRDB's `DatabaseError` when the file cannot be opened as SQLite.
    public init(path: String, sql: SQLDirectory = .bundled) throws {
        _ = Self.sqliteSetUp
        self.path = path
        self.sql = sql
        var configuration = Configuration()
        configuration.busyMode = .timeout(Self.busyTimeoutSeconds)
        configuration.label = "shopseg"
        pool = try Self.open(path: path) { try DatabasePool(path: path, configuration: configuration) }
    }

    /// Process-wide SQLite settings, made once before the first connection when possible:
    /// memory statistics off (see `shopseg_sqlite_disable_memory_statistics`: parallel feature
    /// reads at 1M users waited on its mutex). Too late (a connection was opened before, e.g. by a
    /// test) only costs that speed.
    private static let sqliteSetUp: Void = { _ = shopseg_sqlite_disable_memory_statistics() }()

    /// Opens a connection, turning SQLite's codes into a message a user can act on.
    static func open<Connection>(path: String, _ connect: () throws -> Connection) throws -> Connection {
        guard !path.isEmpty else { throw WarehouseError.cannotOpen(path: "''", reason: "empty path; pass --db or set SHOPSEG_DB") }
        var isFolder: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isFolder), isFolder.boolValue {
            throw WarehouseError.cannotOpen(path: path, reason: "it is a folder; pass the path of a database file")
        }
        do {
            return try connectWaitingForWriter(connect)
        } catch let error as DatabaseError {
            let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
            switch error.resultCode {
            case .SQLITE_NOTADB:
                throw WarehouseError.cannotOpen(path: path, reason: "the file is not a SQLite database")
            case .SQLITE_CANTOPEN where !FileManager.default.fileExists(atPath: folder):
                throw WarehouseError.cannotOpen(path: path, reason: "folder \(folder) does not exist")
            case .SQLITE_CANTOPEN, .SQLITE_READONLY, .SQLITE_PERM:
                throw WarehouseError.cannotOpen(path: path, reason: "cannot open or write it here (\(error.message ?? "permission denied"))")
            default:
                throw error
            }
        }
    }

    /// `connect()`, tried again for up to ``busyTimeoutSeconds`` while it fails with SQLITE_BUSY.
    /// Opening sets WAL mode, which needs the file alone: while a writer under the rollback
    /// journal (a first load, a deferred index build) holds its lock, SQLite refuses at once
    /// rather than calling the busy handler (waiting could deadlock two connections that both
    /// hold a read lock), so this waits here instead.
    private static func connectWaitingForWriter<Connection>(_ connect: () throws -> Connection) throws -> Connection {
        let deadline = Date().addingTimeInterval(busyTimeoutSeconds)
        while true {
            do {
                return try connect()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_BUSY && Date() < deadline {
                Thread.sleep(forTimeInterval: 0.1)
            }
        }
    }

    /// Applies pending migrations (in file order, each in its own transaction, recorded in
    /// `grdb_migrations`) and creates missing feature views; with `replacingViews` (what
    /// `init` does) also replaces the views whose file changed. Running it again changes nothing.
    /// - Returns: what was done, and which installed views differ from their files.
    @discardableResult
    public func prepareSchema(replacingViews: Bool = false) throws -> SchemaReport {
        let applied = try Migrations(sql: sql).apply(to: pool)
        let views = try FeatureViews(sql: sql).install(in: pool, replace: replacingViews)
        return SchemaReport(appliedMigrations: applied, changedViews: views.changed, differingViews: views.differing)
    }
}

/// What ``Warehouse/prepareSchema()`` changed.
public struct SchemaReport: Sendable, Equatable, Codable {
    /// Migration identifiers applied by this call (empty when the schema was current).
    public let appliedMigrations: [String]
    /// Feature views created or replaced by this call.
    public let changedViews: [String]
    /// Installed views whose file in the SQL folder differs; left as installed (run `init`).
    public var differingViews: [String] = []
    /// Indexes a first load deferred, built by this `init` (``Warehouse/buildDeferredIndexes()``).
    public var builtIndexes: [String] = []

    /// One warning per differing view, naming the folder and what to do.
    public func differingViewWarnings(sql: SQLDirectory) -> [String] {
        let isBundled = sql.root.standardizedFileURL == SQLDirectory.bundled.root.standardizedFileURL
        return differingViews.map {
            isBundled
                ? "view \($0) differs from this shopseg's bundled \($0).sql (an upgrade, or a view edited in the "
                    + "database); the installed view was used (run `shopseg init` to install this release's view)"
                : "view \($0) differs from \(sql.featureViewsURL.path)/\($0).sql; the installed view was used "
                    + "(run `shopseg init` with the same --sql-dir to install the file)"
        }
    }
}
