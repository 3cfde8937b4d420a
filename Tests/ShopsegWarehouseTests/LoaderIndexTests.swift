import GRDB
import ShopsegIngest
@testable import ShopsegWarehouse
import XCTest

/// The first load into an empty `events` table drops `events_by_user` and records it in
/// `deferred_indexes`; `buildDeferredIndexes` (build, assign, init) builds it with its exact
/// definition. A refused batch leaves index and record as they were; loads into a table with
/// rows keep the index as it is.
final class LoaderIndexTests: XCTestCase {
    private func indexSQL(_ warehouse: Warehouse) throws -> [String] {
        try warehouse.pool.read {
            try String.fetchAll($0, sql: "select sql from sqlite_master where type = 'index' and tbl_name = 'events' and sql is not null order by name")
        }
    }

    func testFirstLoadDefersTheIndexAndTheNextBuildStepBuildsItExactly() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let before = try indexSQL(warehouse)
        XCTAssertEqual(before.count, 1)
        XCTAssertTrue(before[0].contains("events_by_user"), before[0])

        // A refused first batch (reject rate) rolls the drop and its record back.
        let bad = try scratch.file("bad.csv", LoaderTests.header + ",view,2024-01-01T00:00:00Z,,,,,,,,,\n")
        XCTAssertThrowsError(try warehouse.loadCanonicalEvents(bad))
        XCTAssertEqual(try indexSQL(warehouse), before)
        XCTAssertEqual(try warehouse.deferredIndexes(), [])

        let first = try scratch.file("a.csv", LoaderTests.header + """
            u2,view,2024-01-02T00:00:00Z,,,,,,,,,
            u1,purchase,2024-01-01T00:00:00Z,,,,,,12.50,,,

            """)
        _ = try warehouse.loadCanonicalEvents(first)
        XCTAssertEqual(try indexSQL(warehouse), [], "deferred: not built by the load")
        XCTAssertEqual(try warehouse.deferredIndexes(), ["events_by_user"])
        let second = try scratch.file("b.csv", LoaderTests.header + "u1,view,2023-12-31T23:59:59Z,,,,,,,,,\n")
        _ = try warehouse.loadCanonicalEvents(second)
        XCTAssertEqual(try warehouse.deferredIndexes(), ["events_by_user"], "still deferred after a second load")

        XCTAssertEqual(try warehouse.buildDeferredIndexes(), ["events_by_user"])
        XCTAssertEqual(try indexSQL(warehouse), before, "the same definition")
        XCTAssertEqual(try warehouse.deferredIndexes(), [])
        XCTAssertEqual(try warehouse.buildDeferredIndexes(), [], "nothing left to build")

        let third = try scratch.file("c.csv", LoaderTests.header + "u3,view,2024-01-03T00:00:00Z,,,,,,,,,\n")
        _ = try warehouse.loadCanonicalEvents(third)
        XCTAssertEqual(try indexSQL(warehouse), before, "a table with rows keeps its index")
        XCTAssertEqual(try warehouse.deferredIndexes(), [])

        let rows = try warehouse.pool.read {
            try Row.fetchAll($0, sql: "select batch_id, line_number, user_id, occurred_at, amount from events order by event_id")
        }
        XCTAssertEqual(rows.map { "\($0["batch_id"] as Int64):\($0["line_number"] as Int):\($0["user_id"] as String):\($0["occurred_at"] as String)" },
                       ["1:2:u2:2024-01-02T00:00:00Z", "1:3:u1:2024-01-01T00:00:00Z", "2:2:u1:2023-12-31T23:59:59Z",
                        "3:2:u3:2024-01-03T00:00:00Z"])
        XCTAssertEqual(rows[1]["amount"] as Double?, 12.5)
        XCTAssertEqual(try warehouse.scalar("pragma integrity_check") as String?, "ok")
        // The index answers: the planner uses it for a user's events.
        let plan = try warehouse.pool.read {
            try Row.fetchAll($0, sql: "explain query plan select * from events where user_id = 'u1'").map { $0["detail"] as String }
        }
        XCTAssertTrue(plan.joined().contains("events_by_user"), plan.joined())
    }

    func testAnIndexMadeAgainByHandIsNotBuiltTwice() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let definition = try indexSQL(warehouse)
        _ = try warehouse.loadCanonicalEvents(try scratch.file("a.csv", LoaderTests.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\n"))
        try warehouse.pool.write { try $0.execute(sql: definition[0]) }
        XCTAssertEqual(try warehouse.buildDeferredIndexes(), [])
        XCTAssertEqual(try warehouse.deferredIndexes(), [])
        XCTAssertEqual(try indexSQL(warehouse), definition)
    }
}
