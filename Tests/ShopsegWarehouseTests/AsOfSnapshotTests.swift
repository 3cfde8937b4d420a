import GRDB
@testable import ShopsegWarehouse
import XCTest

/// Reading the feature views at a build's as_of on private connections (AsOfSnapshot), and
/// reading the bundled ones in user ranges at once (FeaturePartitions).
final class AsOfSnapshotTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    /// A seeded log of `users` users over January 2024: every event type, orders with and
    /// without order ids, sessions, items with and without categories, ratings, returns.
    private func shop(users: Int) throws -> Warehouse {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next(_ bound: Int) -> Int {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return Int((state >> 33) % UInt64(bound))
        }
        var lines = ["user_id,event_type,occurred_at,item_id,category,order_id,quantity,unit_price,amount,rating,review_text,session_id"]
        let types = ["view", "view", "view", "cart", "purchase", "purchase", "return", "rating"]
        for u in 0..<users {
            for e in 0..<(1 + next(12)) {
                let type = types[next(types.count)]
                let time = String(format: "2024-01-%02dT%02d:%02d:00Z", 1 + next(31), next(24), next(60))
                let item = "I\(next(40))", category = next(3) == 0 ? "" : "c\(next(6))"
                let order = type == "purchase" && next(2) == 0 ? "O\(u)-\(e)" : ""
                let amount = type == "purchase" ? String(Double(1 + next(9_999)) / 100) : type == "return" ? "-\(1 + next(50))" : ""
                let rating = type == "rating" ? String(1 + next(5)) : ""
                let review = type == "rating" && next(2) == 0 ? "fine" : ""
                let session = next(4) == 0 ? "" : "s\(u)-\(next(3))"
                lines.append("U\(String(format: "%04d", u)),\(type),\(time),\(item),\(category),\(order),,,\(amount),\(rating),\(review),\(session)")
            }
        }
        let warehouse = try scratch.warehouse()
        _ = try warehouse.loadCanonicalEvents(try scratch.file("log.csv", lines.joined(separator: "\n") + "\n"))
        try warehouse.buildDeferredIndexes()
        return warehouse
    }

    private func ranges(_ warehouse: Warehouse, _ view: String, count: Int) throws -> [AsOfSnapshot.UserRange?] {
        try warehouse.pool.read { try FeaturePartitions(count: count, minimumEvents: 1).ranges(for: view, in: $0) }
    }

    /// The bundled views read in 2 or 3 user ranges give the rows of one read, bit for bit.
    func testUserRangesTogetherAreOneRead() throws {
        let warehouse = try shop(users: 400)
        let asOf = "2024-01-20T12:00:00Z"
        for view in ["user_features", "user_rfm", "user_engagement", "user_ratings", "retention_summary"] {
            let whole = try warehouse.readFeatures(view: view, asOf: asOf, partitions: FeaturePartitions(count: 1))
            XCTAssertGreaterThan(whole.userIds.count, 100, view)
            for count in [2, 3] {
                XCTAssertEqual(try ranges(warehouse, view, count: count).count, count, view)
                let parted = try warehouse.readFeatures(view: view, asOf: asOf, partitions: FeaturePartitions(count: count, minimumEvents: 1))
                XCTAssertEqual(parted.userIds, whole.userIds, "\(view), \(count) ranges")
                XCTAssertEqual(parted.columnNames, whole.columnNames, view)
                XCTAssertEqual(parted.values.map(\.bitPattern), whole.values.map(\.bitPattern), "\(view), \(count) ranges")
                XCTAssertEqual(parted.lastEventId, whole.lastEventId)
                XCTAssertEqual(parted.lastBatchId, whole.lastBatchId)
            }
        }
    }

    /// Only the bundled views, all installed unchanged, are split: any other view may mix users.
    func testOtherViewsAreReadWhole() throws {
        let warehouse = try shop(users: 200)
        try warehouse.pool.write { db in
            try db.execute(sql: "create view share_of_views as select user_id, count(*) * 1.0 / (select count(*) from events) as share from events group by user_id")
        }
        XCTAssertEqual(try ranges(warehouse, "share_of_views", count: 2), [nil], "not a bundled view")
        XCTAssertEqual(try ranges(warehouse, "user_features", count: 2).count, 2)
        let whole = try warehouse.readFeatures(view: "share_of_views", asOf: "2024-02-01T00:00:00Z", partitions: FeaturePartitions(count: 2, minimumEvents: 1))
        XCTAssertEqual(whole.values.reduce(0, +), 1, accuracy: 1e-9, "shares of all events, not of a range's")

        try warehouse.pool.write { db in
            try db.execute(sql: "drop view user_rfm")
            try db.execute(sql: "create view user_rfm as select user_id, 1 as recency_days, 1 as frequency, 1 as monetary_total, 1 as avg_order_value, 1 as tenure_days from user_event_totals")
        }
        XCTAssertEqual(try ranges(warehouse, "user_features", count: 2), [nil], "user_features reads an edited view")
        XCTAssertEqual(try ranges(warehouse, "retention_summary", count: 2), [nil])
        XCTAssertEqual(try ranges(warehouse, "user_features", count: 1), [nil])
    }

    /// The read neither writes nor waits for the writer, and leaves build_context as it was.
    func testReadAtAsOfNeedsNoWriter() throws {
        let warehouse = try shop(users: 50)
        try warehouse.pool.write { try $0.execute(sql: "insert into build_context (id, as_of) values (1, '2024-01-31T00:00:00Z')") }
        var configuration = Configuration()
        configuration.allowsUnsafeTransactions = true   // the transaction stays open across accesses
        let other = try DatabaseQueue(path: scratch.databasePath, configuration: configuration)
        try other.inDatabase { try $0.execute(sql: "begin immediate; update build_context set as_of = '2023-01-01T00:00:00Z'") }
        let started = Date()
        let early = try warehouse.readFeatures(view: "user_rfm", asOf: "2024-01-05T00:00:00Z")
        XCTAssertLessThan(Date().timeIntervalSince(started), 5, "did not wait for the other connection's write lock")
        let tenure = early.columnNames.firstIndex(of: "tenure_days")!
        XCTAssertTrue(early.userIds.indices.allSatisfy { early.values[$0 * early.columnNames.count + tenure] <= 4.0 + 1e-9 },
                      "tenure at 2024-01-05 is at most 4 days (first events from 2024-01-01)")
        try other.inDatabase { try $0.execute(sql: "rollback") }
        XCTAssertEqual(try warehouse.scalar("select as_of from build_context") as String?, "2024-01-31T00:00:00Z")
    }

    /// A view of the user's that reads build_context itself sees the build's as_of too.
    func testViewsReadingBuildContextSeeTheBuildsAsOf() throws {
        let warehouse = try shop(users: 20)
        try warehouse.pool.write { db in
            try db.execute(sql: "insert into build_context (id, as_of) values (1, '2024-01-31T00:00:00Z')")
            try db.execute(sql: "create view as_of_probe as select 'probe' as user_id, julianday(as_of) as day from build_context")
        }
        let table = try warehouse.readFeatures(view: "as_of_probe", asOf: "2024-01-05T00:00:00Z")
        XCTAssertEqual(table.values, [2_460_314.5], "julianday('2024-01-05T00:00:00Z')")
        XCTAssertEqual(try warehouse.scalar("select day from as_of_probe") as Double?, 2_460_340.5, "others still see the stored as_of")
    }

    /// In a user range, user_features still reads the events once (user_event_totals
    /// materialised once), searching the range of events_by_user rather than scanning it.
    func testARangeSearchesTheIndexOnce() throws {
        let warehouse = try shop(users: 50)
        let snapshot = try AsOfSnapshot(path: scratch.databasePath, asOf: "2024-01-20T00:00:00Z",
                                        users: AsOfSnapshot.UserRange(lower: "U0010", upper: "U0020"))
        let plan = try snapshot.read { db in
            try Row.fetchAll(db, sql: "explain query plan select * from user_features").map { $0["detail"] as String }
        }
        // (The covering-index searches are feature_as_of's fallback max(occurred_at), unused
        // while build_context holds as_of.)
        let reads = plan.filter { ($0.hasPrefix("SEARCH") || $0.hasPrefix("SCAN")) && $0.contains("events") && !$0.contains("COVERING") }
        XCTAssertEqual(reads, ["SEARCH main.events USING INDEX events_by_user (user_id>? AND user_id<?)"], plan.joined(separator: "\n"))
        let users = try snapshot.read { try String.fetchAll($0, sql: "select user_id from user_features") }
        XCTAssertEqual(users, (10..<20).map { "U00\($0)" })
    }
}
