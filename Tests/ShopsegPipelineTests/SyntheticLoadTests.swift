import Foundation
import ShopsegEngine
import ShopsegPipeline
import ShopsegIngest
import ShopsegSynth
import ShopsegWarehouse
import XCTest

/// `shopseg generate --db`: generated files load through the ordinary loader with no rejects.
final class SyntheticLoadTests: XCTestCase {
    func testEveryGeneratedRowLoadsWithoutRejectsInBothFormats() throws {
        for format in SyntheticFormat.allCases {
            let scratch = try Scratch()
            let warehouse = try scratch.warehouse()
            let summary = try SyntheticLoad(shop: SyntheticShop(users: 400, seed: 11), format: format).run(into: warehouse)
            for load in [summary.items, summary.users, summary.events] {
                XCTAssertEqual(load.rowsRejected, 0, "\(format) \(load.target): \(load.firstRejects)")
                XCTAssertEqual(load.rowsLoaded, load.rowsRead)
            }
            XCTAssertEqual(summary.events.rowsLoaded, summary.generation.events)
            XCTAssertEqual(summary.users.rowsLoaded, 400)
            XCTAssertEqual(summary.items.rowsLoaded, SyntheticShop.itemCount)
            XCTAssertEqual(summary.truthRows, 400)
            XCTAssertEqual(summary.events.filePath, "shopseg generate --users 400 --days 365 --seed 11 (events.\(format.fileExtension))",
                           "the batch names the generation, not a temporary file that is gone")
            XCTAssertEqual(try warehouse.count("select count(*) from synthetic_truth"), 400)
            XCTAssertEqual(try warehouse.count("select count(*) from users left join synthetic_truth using (user_id) where planted_segment is null"), 0)
            XCTAssertEqual(try warehouse.count("select count(distinct user_id) from events"), 400)
            XCTAssertEqual(try warehouse.count("select count(*) from events where event_type not in ('view', 'cart', 'purchase', 'return', 'rating')"), 0)
        }
    }

    /// A k-means build at k = 7 on a small synthetic shop finds structure that matches the planted types.
    /// A fresh user's pass: a second generation into the same warehouse mixed two shops under the
    /// same user ids; a run killed after loading items and users could not be run again (exit 3).
    func testGenerationNeedsAWarehouseWithoutEventsAndResumesAfterItemsAndUsers() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let shop = SyntheticShop(users: 200, seed: 4)
        // What a run killed during the events load leaves: items and users committed, no events.
        let files = SyntheticFiles(events: scratch.url.appendingPathComponent("events.csv"), format: .csv)
        _ = try SyntheticWriter(shop: shop, format: .csv).write(to: files)
        for (target, file) in [(LoadTarget.items, files.items), (.users, files.users)] {
            _ = try warehouse.load(file: file, options: LoadOptions(target: target, mapping: .canonical(target: target, format: .csv, delimiter: .comma)))
        }
        let resumed = try SyntheticLoad(shop: shop).run(into: warehouse)
        XCTAssertEqual(resumed.users.rowsLoaded, 200)
        XCTAssertEqual(resumed.events.rowsLoaded, resumed.generation.events)
        XCTAssertThrowsError(try SyntheticLoad(shop: SyntheticShop(users: 200, seed: 5)).run(into: warehouse)) { error in
            XCTAssertEqual(error as? PipelineError, .warehouseHasEvents(database: warehouse.path, events: resumed.generation.events))
        }
        XCTAssertEqual(try warehouse.count("select count(*) from events"), resumed.generation.events, "nothing was added")
    }

    func testAKMeansBuildRecoversMuchOfThePlantedTypes() throws {
        var options = BuildOptions()
        options.k = 7
        XCTAssertGreaterThan(try plantedARI(users: 2_000, seed: 0, options: options), 0.5)
    }

    /// Issue 6, item 5: what `shopseg build` does without `--k` (k-means, k by the highest
    /// silhouette in `BuildOptions.defaultKRange`, the shipped `user_features`) recovers the
    /// planted types. Measured 0.87 (k = 7 chosen) on these 3,000 users; with the sixteen columns
    /// of before issue 6 the old default k = 5 gave 0.60, k = 7 0.68 and the 4...10 sweep 0.48 (k = 4).
    func testTheDefaultBuildRecoversThePlantedTypes() throws {
        var options = BuildOptions()
        options.kRange = BuildOptions.defaultKRange
        XCTAssertGreaterThan(try plantedARI(users: 3_000, seed: 1, options: options), 0.75)
    }

    /// Window shoppers and new users who never bought are RFM "Prospects", never "Lost" (a fresh
    /// user's pass found a segment of new browsers named "Lost — recently joined").
    func testUsersWhoNeverPurchasedAreProspectsNotLost() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try SyntheticLoad(shop: SyntheticShop(users: 600, seed: 2)).run(into: warehouse)
        var options = BuildOptions()
        options.k = 4
        _ = try Build(warehouse: warehouse, options: options).run()
        let nonBuyers = try warehouse.count("""
            select count(*) from current_user_segments
            where user_id not in (select user_id from events where event_type = 'purchase')
            """)
        XCTAssertGreaterThan(nonBuyers, 0)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_rfm_scores where rfm_segment = 'Prospects'"),
                       nonBuyers)
        XCTAssertEqual(try warehouse.count("""
            select count(*) from current_user_rfm_scores
            where rfm_segment = 'Prospects' and user_id in (select user_id from events where event_type = 'purchase')
            """), 0)
    }

    /// Generates `users` users into a scratch warehouse, builds with `options` and returns the
    /// adjusted Rand index of the published segments against `synthetic_truth`.
    private func plantedARI(users: Int, seed: UInt64, options: BuildOptions) throws -> Double {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try SyntheticLoad(shop: SyntheticShop(users: users, seed: seed)).run(into: warehouse)
        _ = try Build(warehouse: warehouse, options: options).run()
        let truth = Dictionary(uniqueKeysWithValues: try warehouse.syntheticTruth().map { ($0.userId, $0.plantedSegment) })
        let rows = try warehouse.text("select group_concat(user_id || ':' || segment_id, ',') from current_user_segments") ?? ""
        var planted: [Int] = [], found: [Int] = []
        let names = PlantedSegment.allCases.map(\.rawValue)
        for pair in rows.split(separator: ",") {
            let parts = pair.split(separator: ":")
            planted.append(names.firstIndex(of: truth[String(parts[0])]!)!)
            found.append(Int(parts[1])!)
        }
        XCTAssertEqual(planted.count, users)
        return try AdjustedRandIndex.score(planted, found)
    }
}
