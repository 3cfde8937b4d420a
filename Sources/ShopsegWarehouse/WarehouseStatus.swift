import Foundation
import GRDB

/// A snapshot of what the database holds, for `shopseg status`.
public struct WarehouseStatus: Sendable, Codable, Equatable {
    public struct Batch: Sendable, Codable, Equatable {
        public let batchId: Int64
        public let target: String
        public let filePath: String
        public let startedAt: String
        public let rowsRead: Int
        public let rowsLoaded: Int
        public let rowsRejected: Int
        /// rowsRejected / rowsRead, 0...1.
        public let rejectRate: Double
    }
    public struct Run: Sendable, Codable, Equatable {
        public let runId: Int64
        public let status: String
        public let startedAt: String
        public let finishedAt: String?
        public let asOf: String
        public let featureView: String
        public let algorithm: String
        public let nUsers: Int?
        public let nSegments: Int?
        public let silhouette: Double?
        public let error: String?
        /// Whether this is the run the current_* views show.
        public let isCurrent: Bool
        /// For a `running` run: whether its process is still alive on this machine (false = it
        /// died; the next build marks it abandoned). nil for other statuses.
        public let processAlive: Bool?
    }
    public let database: String
    public let appliedMigrations: [String]
    /// Migrations of the SQL folder not applied yet (the next `init`, `load` or `build` applies
    /// them); empty for a database that was never initialised.
    public var pendingMigrations: [String] = []
    /// Indexes a first load deferred (the next `build`, `assign` or `init` builds them).
    public var deferredIndexes: [String] = []
    public let events: Int
    public let usersWithEvents: Int
    public let usersLoaded: Int
    public let itemsLoaded: Int
    public let rejectsKept: Int
    public let firstEventAt: String?
    public let lastEventAt: String?
    public let publishedRunId: Int64?
    /// The most recent batches, newest first.
    public let lastBatches: [Batch]
    /// The most recent runs, newest first.
    public let lastRuns: [Run]
}

extension Warehouse {
    /// Counts and the latest batches and runs (`limit` of each) of the database at `path`,
    /// opened read-only: a monitoring user without write access can run it, and it never
    /// creates or changes a file.
    /// - Throws: ``WarehouseError/cannotOpen(path:reason:)`` when the file is missing or not SQLite.
    public static func status(path: String, limit: Int = 5, sql: SQLDirectory = .bundled) throws -> WarehouseStatus {
        guard FileManager.default.fileExists(atPath: path) else {
            throw WarehouseError.cannotOpen(path: path, reason: "no such file; run `shopseg init` or pass --db")
        }
        try recoverInterruptedFirstLoad(path: path)
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        let location = readOnlyLocation(path)
        let immutable = location != path
        if immutable, hasRollbackJournal(path) {
            // An immutable read would see the pages a first load has written but not committed.
            throw WarehouseError.cannotOpen(path: path, reason: """
                a first load is writing it, or was interrupted (\(path)-journal exists): run status again when the load \
                has ended, or as a user who may write the file (its status rolls an interrupted load back)
                """)
        }
        var snapshot = try open(path: path) {
            try retryingTornReads(immutable: immutable) {
                try DatabaseQueue(path: location, configuration: configuration).read { db in try status(db: db, path: path, limit: limit) }
            }
        }
        // Monitoring must not fail on an unreadable SQL folder: then nothing is listed as pending
        // (the next write names the folder's problem).
        if !snapshot.appliedMigrations.isEmpty, let pending = try? Migrations(sql: sql).pending(applied: Set(snapshot.appliedMigrations)) {
            snapshot.pendingMigrations = pending
        }
        return snapshot
    }

    /// A first load or deferred index build killed mid-write (``RollbackJournal``) leaves a hot journal,
    /// which SQLite rolls back on the next read — but only on a connection that may write. When
    /// this user may, a read-write connection reads once (SQLite decides whether the journal is hot:
    /// a load still running holds its lock, and then this read simply waits for it, as any reader
    /// of a first load does); otherwise the read-only open reports the file as unreadable until
    /// `load`, `build` or `init` runs. The next of those also sets WAL again.
    static func recoverInterruptedFirstLoad(path: String) throws {
        let files = FileManager.default
        guard hasRollbackJournal(path), files.isWritableFile(atPath: path), files.isWritableFile(atPath: path + "-journal") else {
            return
        }
        var configuration = Configuration()
        configuration.busyMode = .timeout(busyTimeoutSeconds)
        let queue = try open(path: path) { try DatabaseQueue(path: path, configuration: configuration) }
        try open(path: path) {
            try queue.read { db in _ = try Int.fetchOne(db, sql: "select count(*) from sqlite_master") }
        }
        try queue.close()
    }

    /// Whether `path-journal` exists and is not empty: a first load is writing, or was killed.
    static func hasRollbackJournal(_ path: String) -> Bool {
        ((try? FileManager.default.attributesOfItem(atPath: path + "-journal"))?[.size] as? Int ?? 0) > 0
    }

    /// An immutable read (open and query) shares no lock with writers: while a writer copies pages
    /// into the file it can find them half-way (SQLITE_CORRUPT, "malformed"; seen for 1–4 s during a
    /// large load by a fresh user's pass). Such a read is tried again for up to 10 s; a real
    /// corruption still fails after that.
    static func retryingTornReads<T>(immutable: Bool, _ body: () throws -> T) throws -> T {
        let deadline = Date().addingTimeInterval(immutable ? 10 : 0)
        while true {
            do {
                return try body()
            } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT && Date() < deadline {
                usleep(250_000)
            }
        }
    }

    /// `path` itself when this user may write the file and its folder; otherwise an `immutable`
    /// SQLite URI, so that a monitoring user without write access neither fails on the WAL's
    /// shared-memory file nor leaves `-wal`/`-shm` files the nightly writer cannot open. An
    /// immutable read sees the file as of its last checkpoint (every shopseg command
    /// checkpoints when it exits).
    static func readOnlyLocation(_ path: String) -> String {
        let files = FileManager.default
        let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
        let sideFiles = ["-wal", "-shm"].map { path + $0 }.filter { files.fileExists(atPath: $0) }
        if files.isWritableFile(atPath: path), files.isWritableFile(atPath: folder),
           sideFiles.allSatisfy({ files.isWritableFile(atPath: $0) }) {
            return path
        }
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        return "file:\(absolute.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? absolute)?immutable=1"
    }

    private static func status(db: Database, path: String, limit: Int) throws -> WarehouseStatus {
        let migrations = try db.tableExists("grdb_migrations")
            ? try String.fetchAll(db, sql: "select identifier from grdb_migrations order by identifier") : []
        // A database killed while it was being created may hold only the first migrations.
        guard migrations.count > 0, try db.tableExists("events"), try db.tableExists("segmentation_runs") else {
            return WarehouseStatus(database: path, appliedMigrations: migrations, events: 0, usersWithEvents: 0,
                                   usersLoaded: 0, itemsLoaded: 0, rejectsKept: 0, firstEventAt: nil, lastEventAt: nil,
                                   publishedRunId: nil, lastBatches: [], lastRuns: [])
        }
        func count(_ sql: String) throws -> Int { try Int.fetchOne(db, sql: sql) ?? 0 }
        let range = try Row.fetchOne(db, sql: "select min(occurred_at) as first, max(occurred_at) as last from events")
        let batches = try Row.fetchAll(db, sql: """
            select batch_id, target, file_path, started_at, rows_read, rows_loaded, rows_rejected
            from load_batches order by batch_id desc limit ?
            """, arguments: [limit]).map { row in
            WarehouseStatus.Batch(batchId: row["batch_id"], target: row["target"], filePath: row["file_path"],
                                  startedAt: row["started_at"], rowsRead: row["rows_read"], rowsLoaded: row["rows_loaded"],
                                  rowsRejected: row["rows_rejected"],
                                  rejectRate: (row["rows_read"] as Int) == 0 ? 0 : Double(row["rows_rejected"] as Int) / Double(row["rows_read"] as Int))
        }
        // status never migrates: a database from before migration 0003 has no pointer or pid.
        let current = try db.tableExists("published_run") ? "(select run_id from published_run)"
            : "(select max(run_id) from segmentation_runs where status = 'published')"
        let pid = try db.columns(in: "segmentation_runs").contains { $0.name == "pid" } ? "pid" : "null as pid"
        let runs = try Row.fetchAll(db, sql: """
            select run_id, status, started_at, finished_at, as_of, feature_view, algorithm, n_users, n_segments, silhouette, error, \(pid),
                   run_id = \(current) as is_current
            from segmentation_runs order by run_id desc limit ?
            """, arguments: [limit]).map { row in
            WarehouseStatus.Run(runId: row["run_id"], status: row["status"], startedAt: row["started_at"],
                                finishedAt: row["finished_at"], asOf: row["as_of"], featureView: row["feature_view"],
                                algorithm: row["algorithm"], nUsers: row["n_users"], nSegments: row["n_segments"],
                                silhouette: row["silhouette"], error: row["error"], isCurrent: row["is_current"] ?? false,
                                processAlive: (row["status"] as String) == "running"
                                    ? (row["pid"] as Int?).map(ProcessProbe.isLiveShopseg(pid:)) ?? false : nil)
        }
        var status = WarehouseStatus(
            database: path, appliedMigrations: migrations,
            events: try count("select count(*) from events"),
            usersWithEvents: try count("select count(distinct user_id) from events"),
            usersLoaded: try count("select count(*) from users"),
            itemsLoaded: try count("select count(*) from items"),
            rejectsKept: try count("select count(*) from load_rejects"),
            firstEventAt: range?["first"], lastEventAt: range?["last"],
            publishedRunId: try Int64.fetchOne(db, sql: "select run_id from current_run"),
            lastBatches: batches, lastRuns: runs)
        status.deferredIndexes = try DeferredIndexes.pending(in: db)
        return status
    }
}
