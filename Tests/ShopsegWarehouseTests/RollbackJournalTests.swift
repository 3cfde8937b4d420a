import GRDB
import ShopsegIngest
@testable import ShopsegWarehouse
import XCTest

/// The first load into an empty warehouse, and the deferred index build before any publish,
/// switch to the rollback journal, only then, never when another connection is open, and always
/// leave the file in WAL mode.
final class RollbackJournalTests: XCTestCase {
    private func journalMode(_ warehouse: Warehouse) throws -> String? {
        try warehouse.pool.writeWithoutTransaction { try String.fetchOne($0, sql: "pragma journal_mode") }
    }

    func testSwitchesOnlyForEventsIntoAnEmptyWarehouseAndSwitchesBack() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try warehouse.pool.read { try Int.fetchOne($0, sql: "select count(*) from events") }   // an idle reader: closed by enter

        XCTAssertFalse(RollbackJournal.enter(warehouse.pool, target: .users).switched)
        XCTAssertEqual(try journalMode(warehouse), "wal")

        let journal = RollbackJournal.enter(warehouse.pool, target: .events)
        XCTAssertTrue(journal.switched)
        XCTAssertEqual(try journalMode(warehouse), "delete")
        journal.leave(warehouse.pool)
        XCTAssertEqual(try journalMode(warehouse), "wal")

        _ = try warehouse.loadCanonicalEvents(try scratch.file("a.csv", LoaderTests.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\n"))
        XCTAssertEqual(try journalMode(warehouse), "wal", "the load switched back")
        XCTAssertFalse(RollbackJournal.enter(warehouse.pool, target: .events).switched, "events is not empty")
        XCTAssertEqual(try journalMode(warehouse), "wal")
    }

    func testKeepsWALWhileAnotherConnectionIsOpen() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let other = try DatabasePool(path: scratch.databasePath)   // e.g. a BI tool
        _ = try other.read { try Int.fetchOne($0, sql: "select count(*) from events") }
        let journal = RollbackJournal.enter(warehouse.pool, target: .events)
        XCTAssertFalse(journal.switched)
        XCTAssertEqual(try journalMode(warehouse), "wal")

        // The load goes ahead in WAL mode, and the other connection reads it.
        let summary = try warehouse.loadCanonicalEvents(try scratch.file("a.csv", LoaderTests.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\n"))
        XCTAssertEqual(summary.rowsLoaded, 1)
        XCTAssertEqual(try other.read { try Int.fetchOne($0, sql: "select count(*) from events") }, 1)
    }

    func testNoSwitchOnceARunExists() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        try warehouse.pool.write { db in
            let columns = try db.columns(in: "segmentation_runs").filter { $0.isNotNull && $0.defaultValueSQL == nil && !$0.isPrimaryKey }
            XCTAssertFalse(columns.isEmpty)
            try db.execute(sql: "pragma ignore_check_constraints = on")
            try db.execute(sql: "insert into segmentation_runs (\(columns.map(\.name).joined(separator: ", "))) values (\(columns.map { _ in "'x'" }.joined(separator: ", ")))")
        }
        XCTAssertFalse(RollbackJournal.enter(warehouse.pool, target: .events).switched, "a run exists: readers may be reading it")
    }

    func testDeferredIndexesBuildUnderTheRollbackJournalUntilARunIsPublished() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try warehouse.loadCanonicalEvents(try scratch.file("a.csv", LoaderTests.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\n"))
        let journal = RollbackJournal.enterBeforeAnyPublish(warehouse.pool)
        XCTAssertTrue(journal.switched, "events loaded, nothing published")
        journal.leave(warehouse.pool)
        XCTAssertEqual(try warehouse.buildDeferredIndexes(), ["events_by_user"])
        XCTAssertEqual(try journalMode(warehouse), "wal", "switched back after the build")

        try warehouse.pool.write { db in
            try db.execute(sql: "pragma ignore_check_constraints = on")
            try db.execute(sql: "insert into segmentation_runs (run_id, status, started_at, as_of, feature_view, algorithm, parameters, tool_version) values (1, 'published', 'x', 'x', 'x', 'x', '{}', 'x')")
            try db.execute(sql: "insert into published_run (id, run_id, published_at) values (1, 1, 'x')")
        }
        XCTAssertFalse(RollbackJournal.enterBeforeAnyPublish(warehouse.pool).switched, "a run is published: readers may be reading it")
        XCTAssertEqual(try journalMode(warehouse), "wal")
    }

    func testTheBatchRecordsTheFilesDigest() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let file = try scratch.file("a.csv", LoaderTests.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\n")
        let summary = try warehouse.loadCanonicalEvents(file)
        XCTAssertEqual(summary.contentSHA256, try ContentHash.sha256(of: file))
        XCTAssertEqual(try warehouse.scalar("select content_sha256 from load_batches") as String?, summary.contentSHA256)
    }
}

private extension ColumnInfo {
    var isPrimaryKey: Bool { primaryKeyIndex > 0 }
}
