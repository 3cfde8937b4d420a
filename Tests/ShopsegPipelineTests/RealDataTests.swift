import Foundation
import GRDB
import ShopsegIngest
@testable import ShopsegPipeline
import ShopsegWarehouse
import XCTest

/// load → build on committed slices of the real CDNOW and Online Retail logs, with the
/// example mappings users are told to start from.
final class RealDataTests: XCTestCase {
    func testCDNOWSliceLoadsEveryRowAndSegmentsEveryCustomer() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let summary = try warehouse.load(
            file: fixture("cdnow/CDNOW_master_slice.txt"),
            options: LoadOptions(target: .events, mapping: try mapping("cdnow_master.yaml")))
        XCTAssertEqual([summary.rowsRead, summary.rowsLoaded, summary.rowsRejected], [1784, 1784, 0],
                       "80 rows repeating an earlier line are real purchases and must all load")
        XCTAssertEqual(try warehouse.count("select count(distinct user_id) from events"), 340)
        XCTAssertEqual(try warehouse.count("select count(*) from events where user_id = '00001'"), 1, "ids keep their zeros")

        var options = BuildOptions()
        options.k = 5
        let build = try Build(warehouse: warehouse, options: options).run()
        XCTAssertEqual(build.nUsers, 340)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_segments"), 340)
        XCTAssertEqual(try warehouse.count("select count(*) from current_segments"), 5)
        XCTAssertEqual(try warehouse.count("select sum(size) from current_segments"), 340)
        XCTAssertFalse(build.featuresUsed.contains("views"), "a purchases-only log has no view signal; the constant column is dropped")
        XCTAssertTrue(build.warnings.contains { $0.contains("views") }, "\(build.warnings)")
    }

    func testOnlineRetailSliceReturnsAndGuests() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let summary = try warehouse.load(
            file: fixture("online_retail/online_retail_first3999.csv"),
            options: LoadOptions(target: .events, mapping: try mapping("online_retail.yaml"), maxRejectRate: 0.35))
        XCTAssertEqual([summary.rowsRead, summary.rowsLoaded, summary.rowsRejected], [3999, 2848, 1151])
        XCTAssertEqual(try warehouse.count("select count(*) from load_rejects where reason like '%user_id%'"), 1151)
        XCTAssertEqual(try warehouse.count("select count(*) from events where event_type = 'return'"), 33)
        XCTAssertEqual(try warehouse.count("select count(*) from events where order_id is null or item_id is null or unit_price is null"), 0)
        // Times are UK local (GMT in December) → the same clock time in UTC.
        XCTAssertEqual(try warehouse.text("select min(occurred_at) from events"), "2010-12-01T08:26:00Z")

        let build = try Build(warehouse: warehouse, options: BuildOptions()).run()
        XCTAssertEqual(build.nUsers, 144)
        // Returns lower monetary value: net = purchases − |returns|.
        let check = try warehouse.count("""
            select count(*) from user_rfm r
            join (select user_id,
                         sum(case when event_type = 'purchase' then amount else 0 end) - sum(case when event_type = 'return' then abs(amount) else 0 end) as net
                  from events group by user_id) e on e.user_id = r.user_id
            where abs(r.monetary_total - e.net) > 1e-6
            """)
        XCTAssertEqual(check, 0)
        XCTAssertGreaterThan(try warehouse.count("select count(*) from user_rfm where returns > 0 and monetary_total < frequency * avg_order_value"), 0)
    }
}
