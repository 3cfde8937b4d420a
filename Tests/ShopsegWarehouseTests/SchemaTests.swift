import GRDB
@testable import ShopsegWarehouse
import XCTest

final class SchemaTests: XCTestCase {
    func testPrepareSchemaAppliesMigrationsAndViewsOnce() throws {
        let scratch = try Scratch()
        let warehouse = try Warehouse(path: scratch.url.appendingPathComponent("s.db").path)
        let first = try warehouse.prepareSchema()
        XCTAssertEqual(first.appliedMigrations, ["0001_create_raw_tables", "0002_create_segmentation_tables", "0003_nightly_contract"])
        XCTAssertEqual(Set(first.changedViews), ["feature_as_of", "user_rfm", "user_engagement", "user_ratings", "user_features"])
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
        XCTAssertTrue(nightly.differingViewWarnings(sql: warehouse.sql)[0].contains("shopseg init"))
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
}
