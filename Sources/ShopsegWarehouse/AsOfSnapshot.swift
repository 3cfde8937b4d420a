import Foundation
import GRDB

/// Reads at a chosen `as_of` without writing the database, on one or several connections that
/// see the same snapshot of the file.
///
/// The feature views read their reference instant from `build_context` (through
/// `feature_as_of`). A build must read them at its own `as_of` while BI readers keep seeing the
/// published run's. Writing `build_context` in a transaction rolled back after the read did that,
/// but held the writer for the whole read (≈ 20 s at 1M users: loads waited) and allowed one
/// such read at a time, on one core.
///
/// Instead, a private read-only connection gets a temporary `build_context` holding `as_of` and
/// a temporary copy of every view of the database. SQLite resolves a name used inside a view of
/// `main` in `main` only, but a name used by a temporary view (or a query) in `temp` first: the
/// copies therefore read the temporary `build_context` and each other, and a query naming a
/// view reads its copy. Only the connection's temporary schema changes; it is closed after the
/// read.
///
/// A connection may also be given a range of user ids: a temporary view `events` then holds
/// only those users' events, and the copies read it instead of the table. For views whose rows
/// each depend on one user's events only (the bundled ones, checked by hash), reading the user
/// ranges on separate connections, one thread each, and concatenating them in range order gives
/// the rows of one read, on several cores.
struct AsOfSnapshot: Sendable {
    /// Half-open range [lower, upper) of `events.user_id` (text order); nil = unbounded.
    struct UserRange: Sendable, Equatable {
        var lower: String?
        var upper: String?
    }

    let connection: DatabaseQueue

    /// Opens connections for `ranges` (one per range, nil = all users) that see the same
    /// snapshot: while they start their read transactions, `pool`'s writer holds the write lock
    /// (an immediate transaction, rolled back), so no commit can fall between them. A load
    /// writing at that moment is waited for (busy timeout).
    static func open(pool: DatabasePool, path: String, asOf: String, ranges: [UserRange?]) throws -> [AsOfSnapshot] {
        guard ranges.count > 1 else { return try ranges.map { try AsOfSnapshot(path: path, asOf: asOf, users: $0) } }
        return try pool.writeWithoutTransaction { db in
            var snapshots: [AsOfSnapshot] = []
            try db.inTransaction(.immediate) {
                snapshots = try ranges.map { try AsOfSnapshot(path: path, asOf: asOf, users: $0) }
                return .rollback
            }
            return snapshots
        }
    }

    /// A private read-only connection in a read transaction, `asOf` (and `users`) bound.
    init(path: String, asOf: String, users: UserRange?) throws {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(Warehouse.busyTimeoutSeconds)
        configuration.label = "shopseg-as-of"
        // The read transaction spans several accesses (opened here, read in ``read(_:)``).
        configuration.allowsUnsafeTransactions = true
        connection = try DatabaseQueue(path: path, configuration: configuration)
        try connection.inDatabase { db in
            try db.execute(sql: "begin deferred transaction")
            // Reading main's schema below starts the read transaction: the snapshot is taken here.
            try Self.bind(asOf: asOf, users: users, in: db)
        }
    }

    /// Runs `body` in the snapshot (as often as needed: the transaction stays open until the
    /// connection closes, when the last copy of this value is released; closing rolls it back).
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try connection.inDatabase(body)
    }

    /// The temporary `build_context`, `events` (for a user range) and view copies.
    private static func bind(asOf: String, users: UserRange?, in db: Database) throws {
        try db.execute(sql: "create temporary table build_context as select * from main.build_context where false")
        try db.execute(sql: "insert into temp.build_context (id, as_of) values (1, ?)", arguments: [asOf])
        if let users {
            // Literals, not parameters: a view cannot hold parameters. Each bound is a user id
            // read from the table, quoted as an SQL string.
            var conditions: [String] = []
            if let lower = users.lower { conditions.append("user_id >= \(lower.quotedSQLString)") }
            if let upper = users.upper { conditions.append("user_id < \(upper.quotedSQLString)") }
            try db.execute(sql: """
                create temporary view events as select * from main.events
                where \(conditions.isEmpty ? "true" : conditions.joined(separator: " and "))
                """)
        }
        // SQLite stores a view's statement normalised: "CREATE VIEW <name> …", without a schema
        // name, TEMP or IF NOT EXISTS (https://sqlite.org/schematab.html).
        let prefix = "CREATE VIEW "
        for view in try Row.fetchAll(db, sql: "select name, sql from main.sqlite_master where type = 'view' order by name") {
            let name: String = view["name"], sql: String = view["sql"]
            guard sql.hasPrefix(prefix) else {
                throw WarehouseError.featureView(name: name, message: "its stored statement does not start with \(prefix); cannot read it at a build's as_of")
            }
            try db.execute(sql: "CREATE TEMP VIEW " + sql.dropFirst(prefix.count))
        }
    }
}

private extension String {
    /// The string as an SQL string literal.
    var quotedSQLString: String { "'" + replacingOccurrences(of: "'", with: "''") + "'" }
}
