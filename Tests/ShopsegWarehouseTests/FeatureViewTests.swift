import GRDB
@testable import ShopsegWarehouse
import XCTest

/// The feature SQL against a hand-made log whose features were worked out by hand.
final class FeatureViewTests: XCTestCase {
    static let log = """
        user_id,event_type,occurred_at,item_id,category,order_id,quantity,unit_price,amount,rating,review_text,session_id
        A,view,2024-01-01T10:00:00Z,I1,books,,,,,,,s1
        A,cart,2024-01-01T10:05:00Z,I1,books,,1,10.00,,,,s1
        A,purchase,2024-01-01T10:10:00Z,I1,books,O1,1,10.00,10.00,,,s1
        A,purchase,2024-01-01T10:10:00Z,I2,music,O1,2,5.00,10.00,,,s1
        A,view,2024-01-05T09:00:00Z,I3,games,,,,,,,s2
        A,purchase,2024-01-06T00:00:00Z,I3,games,O2,1,30.00,30.00,,,s3
        A,return,2024-01-08T00:00:00Z,I3,games,O2,-1,30.00,-30.00,,,
        A,rating,2024-01-09T00:00:00Z,I1,books,,,,,4,"Good, fine",
        B,purchase,2024-01-02T12:00:00Z,,,,,,20.00,,,
        B,purchase,2024-01-02T18:00:00Z,,,,,,5.00,,,
        B,purchase,2024-01-04T00:00:00Z,,,,,,15.00,,,
        C,view,2024-01-03T00:00:00Z,I1,books,,,,,,,s9
        C,view,2024-01-03T00:10:00Z,I2,music,,,,,,,s9
        D,purchase,2024-01-11T00:00:00Z,I9,,O9,1,7,7,,,

        """

    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    private func loaded(asOf: String?) throws -> Warehouse {
        let warehouse = try scratch.warehouse()
        _ = try warehouse.loadCanonicalEvents(try scratch.file("log.csv", Self.log))
        if let asOf {
            try warehouse.pool.write { try $0.execute(sql: "insert into build_context (id, as_of) values (1, ?)", arguments: [asOf]) }
        }
        return warehouse
    }

    private func rows(_ warehouse: Warehouse, _ view: String) throws -> [String: Row] {
        try warehouse.pool.read { db in
            Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "select * from \(view)").map { ($0["user_id"] as String, $0) })
        }
    }

    func testViewIsBundledUntilEdited() throws {
        let warehouse = try loaded(asOf: nil)
        XCTAssertTrue(try warehouse.viewIsBundled("user_features"))
        XCTAssertFalse(try warehouse.viewIsBundled("no_such_view"))
        try warehouse.pool.write { db in
            try db.execute(sql: "drop view user_features")
            try db.execute(sql: "create view user_features as select user_id, frequency from user_rfm")
        }
        XCTAssertFalse(try warehouse.viewIsBundled("user_features"), "an edited view is not the bundled one")
    }

    func testBundledViewHashesMatchTheBundle() throws {
        let views = Dictionary(uniqueKeysWithValues: try SQLDirectory.bundled.featureViews().map { ($0.name, $0.sql) })
        // Every bundled view is listed: a build reads the shipped views in user ranges only when
        // all of them are installed as bundled (FeaturePartitions).
        XCTAssertEqual(Set(Warehouse.bundledViewHashes.keys), Set(views.keys))
        for (name, hash) in Warehouse.bundledViewHashes {
            let sql = try XCTUnwrap(views[name], name)
            XCTAssertEqual(ContentHash.sha256(of: FeatureViews.createStatement(name: name, select: sql)), hash,
                           "queries/features/\(name).sql changed: update Warehouse.bundledViewHashes")
        }
    }

    func testRFMByHand() throws {
        let warehouse = try loaded(asOf: "2024-01-10T00:00:00Z")
        let rfm = try rows(warehouse, "user_rfm")
        XCTAssertEqual(Set(rfm.keys), ["A", "B", "C"], "D's only event is after as_of")

        let a = try XCTUnwrap(rfm["A"])
        XCTAssertEqual(a["recency_days"] as Double, 4.0, accuracy: 1e-6)
        XCTAssertEqual(a["frequency"] as Int, 2, "two orders; O1 has two lines")
        XCTAssertEqual(a["monetary_total"] as Double, 20.0, accuracy: 1e-9, "50 bought − 30 returned")
        XCTAssertEqual(a["avg_order_value"] as Double, 25.0, accuracy: 1e-9)
        XCTAssertEqual(a["tenure_days"] as Double, 8 + 14.0 / 24, accuracy: 1e-6)
        XCTAssertEqual(a["returns"] as Int, 1)
        XCTAssertEqual(a["return_amount"] as Double, 30.0, accuracy: 1e-9)

        let b = try XCTUnwrap(rfm["B"])
        XCTAssertEqual(b["recency_days"] as Double, 6.0, accuracy: 1e-6)
        XCTAssertEqual(b["frequency"] as Int, 2, "no order ids: distinct purchase days")
        XCTAssertEqual(b["monetary_total"] as Double, 40.0, accuracy: 1e-9)
        XCTAssertEqual(b["avg_order_value"] as Double, 20.0, accuracy: 1e-9)
        XCTAssertEqual(b["tenure_days"] as Double, 7.5, accuracy: 1e-6)

        let c = try XCTUnwrap(rfm["C"])
        XCTAssertNil(c["recency_days"] as Double?, "never purchased")
        XCTAssertEqual(c["frequency"] as Int, 0)
        XCTAssertEqual(c["monetary_total"] as Double, 0)
        XCTAssertNil(c["avg_order_value"] as Double?)
        XCTAssertEqual(c["tenure_days"] as Double, 7.0, accuracy: 1e-6)
    }

    func testEngagementByHand() throws {
        let warehouse = try loaded(asOf: "2024-01-10T00:00:00Z")
        let engagement = try rows(warehouse, "user_engagement")
        let a = try XCTUnwrap(engagement["A"])
        XCTAssertEqual(a["views"] as Int, 2)
        XCTAssertEqual(a["carts"] as Int, 1)
        XCTAssertEqual(a["purchase_events"] as Int, 3)
        XCTAssertEqual(a["sessions"] as Int, 3)
        XCTAssertEqual(a["view_to_cart_rate"] as Double, 0.5, accuracy: 1e-12)
        XCTAssertEqual(a["cart_to_purchase_rate"] as Double, 3.0, accuracy: 1e-12)
        XCTAssertEqual(a["distinct_items"] as Int, 3)
        XCTAssertEqual(a["distinct_categories"] as Int, 3)
        XCTAssertEqual(a["active_days"] as Int, 5)

        let b = try XCTUnwrap(engagement["B"])    // purchases only: zero-safe
        XCTAssertEqual(b["views"] as Int, 0)
        XCTAssertEqual(b["sessions"] as Int, 0)
        XCTAssertNil(b["view_to_cart_rate"] as Double?)
        XCTAssertNil(b["cart_to_purchase_rate"] as Double?)
        XCTAssertEqual(b["active_days"] as Int, 2)

        let c = try XCTUnwrap(engagement["C"])
        XCTAssertEqual(c["view_to_cart_rate"] as Double, 0.0)
        XCTAssertNil(c["cart_to_purchase_rate"] as Double?)
        XCTAssertEqual(c["distinct_categories"] as Int, 2)
    }

    func testCategoryFallsBackToTheItemsOnly() throws {
        let warehouse = try loaded(asOf: nil)
        XCTAssertEqual(try rows(warehouse, "user_engagement")["D"]?["distinct_categories"] as Int?, 0, "no category anywhere")
        try warehouse.pool.write { db in
            try db.execute(sql: "insert into items (item_id, batch_id, category) values ('I9', 1, 'toys'), ('I1', 1, 'not books')")
        }
        let engagement = try rows(warehouse, "user_engagement")
        XCTAssertEqual(engagement["D"]?["distinct_categories"] as Int?, 1, "the event has none: the item's")
        XCTAssertEqual(engagement["A"]?["distinct_categories"] as Int?, 3, "the event's own category wins")
    }

    /// user_features (user_rfm ⋈ user_engagement) reads the events once: both views select from
    /// user_event_totals, which SQLite materialises once for the two references. A `with` in
    /// user_event_totals, or a view that aggregates on its own, makes it two scans.
    func testFeaturesScanTheEventsOnce() throws {
        let warehouse = try loaded(asOf: "2024-01-10T00:00:00Z")
        try warehouse.buildDeferredIndexes()   // as a build does first
        // On the writer, as a build reads (a reader's EXPLAIN would plan on its cached schema).
        let plan = try warehouse.pool.writeWithoutTransaction { db in
            try Row.fetchAll(db, sql: "explain query plan select * from user_features").map { $0["detail"] as String }
        }
        let scans = plan.filter { $0 == "SCAN e" || $0.hasPrefix("SCAN e ") }
        XCTAssertEqual(scans.count, 1, plan.joined(separator: "\n"))
        XCTAssertTrue(scans[0].contains("events_by_user"), scans[0])
    }

    func testFeatureMatrixHasOneNumericRowPerUser() throws {
        let warehouse = try loaded(asOf: "2024-01-10T00:00:00Z")
        let table = try warehouse.readFeatures(view: "user_features")
        XCTAssertEqual(table.keyColumn, "user_id")
        XCTAssertEqual(table.userIds.sorted(), ["A", "B", "C"])
        XCTAssertEqual(table.values.count, 3 * table.columnNames.count)
        XCTAssertTrue(table.columnNames.contains("monetary_total"))
        let recency = table.columnNames.firstIndex(of: "recency_days")!
        let b = table.userIds.firstIndex(of: "B")!, c = table.userIds.firstIndex(of: "C")!
        XCTAssertEqual(table.values[b * table.columnNames.count + recency], 6, accuracy: 1e-6)
        XCTAssertTrue(table.values[c * table.columnNames.count + recency].isNaN, "NULL (never purchased) reads as NaN")
        // Sparse and ratio columns stay in their views but are not clustered by default (issue 6).
        for left in ["returns", "ratings", "avg_rating", "view_to_cart_rate", "cart_to_purchase_rate"] {
            XCTAssertFalse(table.columnNames.contains(left), left)
        }
    }

    func testDefaultAsOfIsTheLatestEvent() throws {
        let warehouse = try loaded(asOf: nil)
        let asOf: String? = try warehouse.scalar("select as_of from feature_as_of")
        XCTAssertEqual(asOf, "2024-01-11T00:00:00Z")
        XCTAssertEqual(try rows(warehouse, "user_rfm").count, 4)
    }

    func testMissingViewIsNamed() throws {
        let warehouse = try loaded(asOf: nil)
        XCTAssertThrowsError(try warehouse.readFeatures(view: "nope")) { error in
            guard case let WarehouseError.featureView(name, message) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "nope")
            XCTAssertTrue(message.contains("user_features"), message)
        }
    }
}
