import GRDB
@testable import ShopsegWarehouse
import XCTest

final class SchemaTests: XCTestCase {
    func testPrepareSchemaAppliesMigrationsAndViewsOnce() throws {
        let scratch = try Scratch()
        let warehouse = try Warehouse(path: scratch.url.appendingPathComponent("s.db").path)
        let first = try warehouse.prepareSchema()
        XCTAssertEqual(first.appliedMigrations, ["0001_create_raw_tables", "0002_create_segmentation_tables", "0003_nightly_contract", "0004_segment_actions", "0005_synthetic_truth", "0006_events_check_without_in_list", "0007_events_by_user_in_time_order", "0008_deferred_indexes"])
        XCTAssertEqual(Set(first.changedViews), ["feature_as_of", "user_event_totals", "user_rfm", "user_engagement", "user_ratings", "user_features",
                                                 "retention_summary"])
        let schemaBefore: [String] = try warehouse.pool.read { try String.fetchAll($0, sql: "select sql from sqlite_master where sql is not null order by name") }

        let second = try warehouse.prepareSchema()
        XCTAssertEqual(second, SchemaReport(appliedMigrations: [], changedViews: []))
        let schemaAfter: [String] = try warehouse.pool.read { try String.fetchAll($0, sql: "select sql from sqlite_master where sql is not null order by name") }
        XCTAssertEqual(schemaBefore, schemaAfter)
    }

    func testDatabaseUsesWAL() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let mode: String? = try warehouse.scalar("pragma journal_mode")
        XCTAssertEqual(mode, "wal")
    }

    func testChangedViewFileIsReplacedByInit() throws {
        let scratch = try Scratch()
        let sqlRoot = scratch.url.appendingPathComponent("sql")
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root, to: sqlRoot)
        let warehouse = try Warehouse(path: scratch.url.appendingPathComponent("v.db").path, sql: SQLDirectory(root: sqlRoot))
        try warehouse.prepareSchema()
        try "select user_id, frequency from user_rfm".write(
            to: sqlRoot.appendingPathComponent("queries/features/my_features.sql"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try warehouse.prepareSchema().changedViews, ["my_features"])
        XCTAssertTrue(try warehouse.pool.read { try $0.viewExists("my_features") })
    }

    func testBrokenViewNamesItsFile() throws {
        let scratch = try Scratch()
        let sqlRoot = scratch.url.appendingPathComponent("sql")
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root, to: sqlRoot)
        try "select user_id, frequencyy from no_such_table".write(
            to: sqlRoot.appendingPathComponent("queries/features/broken.sql"), atomically: true, encoding: .utf8)
        let warehouse = try Warehouse(path: scratch.url.appendingPathComponent("b.db").path, sql: SQLDirectory(root: sqlRoot))
        XCTAssertThrowsError(try warehouse.prepareSchema()) { error in
            guard case let WarehouseError.sqlFile(name, message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "queries/features/broken.sql")
            XCTAssertTrue(message.contains("no_such_table"), message)
        }
    }

    func testStatusNamesMigrationsThatAreNotAppliedYet() throws {
        let scratch = try Scratch()
        let sqlRoot = scratch.url.appendingPathComponent("sql")
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root, to: sqlRoot)
        let path = scratch.url.appendingPathComponent("m.db").path
        try Warehouse(path: path, sql: SQLDirectory(root: sqlRoot)).prepareSchema(replacingViews: true)
        XCTAssertEqual(try Warehouse.status(path: path, sql: SQLDirectory(root: sqlRoot)).pendingMigrations, [])
        // A newer release's migration (what an upgraded binary brings) is pending until a write applies it.
        try "create table later_thing (id integer);".write(
            to: sqlRoot.appendingPathComponent("migrations/0099_create_later_thing.sql"), atomically: true, encoding: .utf8)
        XCTAssertEqual(try Warehouse.status(path: path, sql: SQLDirectory(root: sqlRoot)).pendingMigrations,
                       ["0099_create_later_thing"])
        // A broken SQL folder never breaks monitoring: status still answers, listing nothing as pending.
        let missing = SQLDirectory(root: scratch.url.appendingPathComponent("no-such-folder"))
        XCTAssertEqual(try Warehouse.status(path: path, sql: missing).pendingMigrations, [])
    }

    /// A fresh user's pass: a database killed while it was being created held only migration 0001,
    /// and `status` failed on `segmentation_runs` instead of listing what is pending.
    func testStatusOfAHalfCreatedDatabaseListsWhatIsPending() throws {
        let scratch = try Scratch()
        let sqlRoot = scratch.url.appendingPathComponent("sql")
        try FileManager.default.createDirectory(at: sqlRoot.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root.appendingPathComponent("migrations/0001_create_raw_tables.sql"),
                                         to: sqlRoot.appendingPathComponent("migrations/0001_create_raw_tables.sql"))
        let path = scratch.url.appendingPathComponent("half.db").path
        _ = try Migrations(sql: SQLDirectory(root: sqlRoot)).apply(to: try DatabasePool(path: path))
        let status = try Warehouse.status(path: path)
        XCTAssertEqual(status.appliedMigrations, ["0001_create_raw_tables"])
        XCTAssertEqual(status.pendingMigrations.first, "0002_create_segmentation_tables")
        XCTAssertEqual(status.events, 0)
    }

    func testOnlyInitReplacesAnEditedView() throws {
        let scratch = try Scratch()
        let sqlRoot = scratch.url.appendingPathComponent("sql")
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root, to: sqlRoot)
        let warehouse = try Warehouse(path: scratch.url.appendingPathComponent("e.db").path, sql: SQLDirectory(root: sqlRoot))
        try warehouse.prepareSchema(replacingViews: true)
        try "select user_id, frequency from user_rfm".write(
            to: sqlRoot.appendingPathComponent("queries/features/user_features.sql"), atomically: true, encoding: .utf8)

        let nightly = try warehouse.prepareSchema()
        XCTAssertEqual(nightly.changedViews, [])
        XCTAssertEqual(nightly.differingViews, ["user_features"])
        let warning = nightly.differingViewWarnings(sql: warehouse.sql)[0]
        XCTAssertTrue(warning.contains("shopseg init") && warning.contains("--sql-dir") && warning.contains(sqlRoot.path), warning)
        // With the bundled SQL (an upgrade): no --sql-dir to repeat, no path inside the build folder.
        let bundledWarning = SchemaReport(appliedMigrations: [], changedViews: [], differingViews: ["user_features"])
            .differingViewWarnings(sql: .bundled)[0]
        XCTAssertTrue(bundledWarning.contains("bundled user_features.sql") && !bundledWarning.contains("--sql-dir"), bundledWarning)
        XCTAssertGreaterThan(try warehouse.pool.read { try $0.columns(in: "user_features").count }, 2, "left as installed")

        XCTAssertEqual(try warehouse.prepareSchema(replacingViews: true).changedViews, ["user_features"])
        XCTAssertEqual(try warehouse.pool.read { try $0.columns(in: "user_features").map(\.name) }, ["user_id", "frequency"])
    }

    func testMigrationFileNamesAreChecked() {
        XCTAssertTrue(SQLDirectory.isMigrationName("0001_create_raw_tables.sql"))
        XCTAssertFalse(SQLDirectory.isMigrationName("3_x.sql"))
        XCTAssertFalse(SQLDirectory.isMigrationName("0003_Add Table.sql"))
        XCTAssertFalse(SQLDirectory.isMigrationName("0003_.sql"))
        XCTAssertFalse(SQLDirectory.isMigrationName("0003_add_index.txt"))
    }

    /// A database made by the previous release (migrations 0001–0002, one published run) keeps
    /// its run through migration 0003: the published pointer is set, rows are kept and marked clustered.
    func testMigrationKeepsAPublishedRunFromThePreviousRelease() throws {
        let scratch = try Scratch()
        let (old, path) = try Self.previousRelease(in: scratch, before: "0003")
        try old.pool.write { db in
            try db.execute(sql: """
                insert into segmentation_runs (run_id, status, started_at, finished_at, as_of, feature_view, algorithm, parameters, n_users, tool_version)
                values (1, 'published', '2026-01-01T00:00:00Z', '2026-01-01T00:00:05Z', '2025-12-31T23:59:59Z', 'user_features', 'kmeans', '{}', 2, '0.1.0'),
                       (2, 'running', '2026-01-02T00:00:00Z', null, '2026-01-01T23:59:59Z', 'user_features', 'kmeans', '{}', null, '0.1.0');
                insert into user_segments (run_id, user_id, segment_id, distance_to_centroid) values (1, 'a', 0, 0.5), (1, 'b', 1, 0.25);
                insert into segments (run_id, segment_id, size, share) values (1, 0, 1, 0.5), (1, 1, 1, 0.5);
                """)
        }
        let migrated = try Warehouse(path: path)
        XCTAssertEqual(try migrated.prepareSchema().appliedMigrations, ["0003_nightly_contract", "0004_segment_actions", "0005_synthetic_truth",
                                                                    "0006_events_check_without_in_list", "0007_events_by_user_in_time_order", "0008_deferred_indexes"])
        try migrated.pool.read { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "select run_id from published_run"), 1)
            XCTAssertEqual(try Int.fetchOne(db, sql: "select run_id from current_run"), 1)
            XCTAssertEqual(try String.fetchAll(db, sql: "select assignment from current_user_segments order by user_id"), ["clustered", "clustered"])
            XCTAssertEqual(try Double.fetchOne(db, sql: "select distance_to_centroid from current_user_segments where user_id = 'b'"), 0.25)
            XCTAssertEqual(try Int.fetchOne(db, sql: "select count(*) from current_segments"), 2)
            XCTAssertEqual(try String.fetchOne(db, sql: "select status from segmentation_runs where run_id = 2"), "running")
            XCTAssertEqual(try Row.fetchAll(db, sql: "pragma foreign_key_check").count, 0)
        }
        XCTAssertEqual(try migrated.abandonUnfinishedRuns(by: "test"), [2])
    }
    /// A database with events made before migration 0006 keeps every event (ids, values, index,
    /// views) when the CHECK is rewritten, and the new CHECK still refuses an unknown event type.
    func testMigration0006KeepsEventsAndItsCheck() throws {
        let scratch = try Scratch()
        let (old, path) = try Self.previousRelease(in: scratch, before: "0006")
        let insert = """
            insert into events (event_id, batch_id, line_number, user_id, event_type, occurred_at, item_id, amount)
            values (7, 1, 2, 'u1', 'purchase', '2025-01-01T00:00:00Z', 'i1', 12.5),
                   (9, 1, 3, 'u2', 'view', '2025-01-02T00:00:00Z', null, null)
            """
        try old.pool.write { db in
            try db.execute(sql: """
                insert into load_batches (batch_id, target, file_path, content_sha256, started_at, finished_at, duration_ms,
                                          rows_read, rows_loaded, rows_rejected)
                values (1, 'events', 'e.csv', 'x', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z', 0, 2, 2, 0)
                """)
            try db.execute(sql: insert)
        }
        let before: [Row] = try old.pool.read { try Row.fetchAll($0, sql: "select * from events order by event_id") }
        let rfmUsers: [String] = try old.pool.read { try String.fetchAll($0, sql: "select user_id from user_rfm order by user_id") }
        XCTAssertFalse(rfmUsers.isEmpty)

        let migrated = try Warehouse(path: path)
        XCTAssertEqual(try migrated.prepareSchema().appliedMigrations, ["0006_events_check_without_in_list", "0007_events_by_user_in_time_order",
                                                                    "0008_deferred_indexes"])
        try migrated.pool.read { db in
            XCTAssertEqual(try Row.fetchAll(db, sql: "select * from events order by event_id"), before)
            XCTAssertEqual(try String.fetchAll(db, sql: "select name from sqlite_master where tbl_name = 'events' and type = 'index' and sql is not null"),
                           ["events_by_user"])
            XCTAssertEqual(try String.fetchAll(db, sql: "select user_id from user_rfm order by user_id"), rfmUsers)
            XCTAssertEqual(try String.fetchOne(db, sql: "pragma integrity_check"), "ok")
            XCTAssertEqual(try Row.fetchAll(db, sql: "pragma foreign_key_check").count, 0)
        }
        for type in ["view", "cart", "purchase", "return", "rating"] {
            try migrated.pool.write { db in
                try db.execute(sql: "insert into events (batch_id, line_number, user_id, event_type, occurred_at) values (1, 9, 'u3', ?, 'x')",
                               arguments: [type])
            }
        }
        XCTAssertThrowsError(try migrated.pool.write { db in
            try db.execute(sql: "insert into events (batch_id, line_number, user_id, event_type, occurred_at) values (1, 9, 'u3', 'View', 'x')")
        }) { error in
            XCTAssertEqual((error as? DatabaseError)?.resultCode, .SQLITE_CONSTRAINT)
        }
    }

    /// A database made by the release before migration `before` (its migrations removed from a
    /// copy of the bundled SQL), with the views of that copy installed; opening `path` with the
    /// bundled SQL then applies the later migrations.
    private static func previousRelease(in scratch: Scratch, before: String) throws -> (warehouse: Warehouse, path: String) {
        let oldSQL = scratch.url.appendingPathComponent("old-sql")
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root, to: oldSQL)
        for file in try FileManager.default.contentsOfDirectory(atPath: oldSQL.appendingPathComponent("migrations").path)
        where file >= before {
            try FileManager.default.removeItem(at: oldSQL.appendingPathComponent("migrations/\(file)"))
        }
        let path = scratch.url.appendingPathComponent("old.db").path
        let old = try Warehouse(path: path, sql: SQLDirectory(root: oldSQL))
        try old.prepareSchema()
        return (old, path)
    }

    /// Migration 0007 orders `events_by_user` by time within a user: same name and columns,
    /// events and features unchanged, and a user's events are still found through it.
    func testMigration0007OrdersEventsByUserByTime() throws {
        let scratch = try Scratch()
        let (old, path) = try Self.previousRelease(in: scratch, before: "0007")
        _ = try old.loadCanonicalEvents(try scratch.file("log.csv", FeatureViewTests.log))
        let columns = "select name from pragma_index_info('events_by_user') order by seqno"
        XCTAssertEqual(try old.pool.read { try String.fetchAll($0, sql: columns) }, ["user_id", "event_type", "occurred_at"])
        let features = "select * from user_features order by user_id"
        let before = try old.pool.read { try Row.fetchAll($0, sql: features) }
        XCTAssertEqual(before.count, 4)

        let migrated = try Warehouse(path: path)
        XCTAssertEqual(try migrated.prepareSchema(replacingViews: true).appliedMigrations, ["0007_events_by_user_in_time_order", "0008_deferred_indexes"])
        try migrated.pool.read { db in
            XCTAssertEqual(try String.fetchAll(db, sql: columns), ["user_id", "occurred_at", "event_type"])
            XCTAssertEqual(try String.fetchAll(db, sql: "select name from sqlite_master where tbl_name = 'events' and type = 'index' and sql is not null"),
                           ["events_by_user"])
            XCTAssertEqual(try Row.fetchAll(db, sql: features), before)
            let plan = try Row.fetchAll(db, sql: "explain query plan select * from events where user_id = 'A'").map { $0["detail"] as String }
            XCTAssertTrue(plan.joined().contains("events_by_user"), plan.joined())
            XCTAssertEqual(try String.fetchOne(db, sql: "pragma integrity_check"), "ok")
        }
    }
}
