import Foundation
import GRDB
import ShopsegEngine
import ShopsegIngest
@testable import ShopsegPipeline
@testable import ShopsegWarehouse
import XCTest

/// From segments to action: RFM scores and names, profiles against the population, segment
/// names, and the retention models on the published CDNOW sample.
final class SegmentActionTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    // MARK: RFM scores

    func testEveryScoreTripleHasExactlyOneNameAndEveryNameIsReachable() {
        var reached = Set<String>()
        for r in 1...5 { for f in 1...5 { for m in 1...5 {
            let name = RFMScoring.segmentName(r: r, f: f, m: m)
            XCTAssertTrue(RFMScoring.segmentNames.contains(name), "\(r)\(f)\(m) → \(name)")
            reached.insert(name)
        } } }
        XCTAssertEqual(reached, Set(RFMScoring.segmentNames), "no name that can never fire")
        XCTAssertEqual(RFMScoring.segmentNames.count, 11)
    }

    func testQuintilesGiveEqualValuesEqualScoresAndDefinedScoresForTinyOrFlatPopulations() {
        // Ten users, hand-scored: percentile p = (below + equal/2) / 10, score = 1 + ⌊5p⌋ (max 5).
        XCTAssertEqual(RFMScoring.quintiles([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), [1, 1, 2, 2, 3, 3, 4, 4, 5, 5])
        XCTAssertEqual(RFMScoring.quintiles([5, 1, 5, 5, 9, 9, 1, 3, 5, 5]), [3, 1, 3, 3, 5, 5, 1, 2, 3, 3])
        XCTAssertEqual(RFMScoring.quintiles([1, 1, 1, 1]), [3, 3, 3, 3], "everyone bought once: the middle score")
        XCTAssertEqual(RFMScoring.quintiles([42]), [3])
        XCTAssertEqual(RFMScoring.quintiles([]), [])
        // Recency: lower is better; never purchased is worst.
        let scores = RFMScoring.scores(recencyDays: [1, 100, nil, 1], frequency: [3, 1, 0, 3], monetary: [50, 10, 0, 50])
        // The two most recent share the top: below 2, equal 2 → p = 3/4 → 4; 100 days: p = 1.5/4 → 2.
        XCTAssertEqual(scores.map(\.r), [4, 2, 1, 4])
        XCTAssertEqual(scores[0], scores[3], "equal values, equal scores")
        XCTAssertEqual(scores[0].cell, "444")
        XCTAssertEqual(scores[0].segment, "Loyal Customers")
        XCTAssertEqual(scores[2].r, 1)
        XCTAssertEqual(scores[2].segment, "Prospects", "never purchased: a prospect, not a lost customer")
        XCTAssertEqual(RFMScoring.segmentName(r: scores[2].r, f: scores[2].f, m: scores[2].m), "Lost",
                       "the same scores of a customer who did buy")
    }

    func testProspectsNameASegmentOnlyWhenTheyAreMostOfIt() {
        // Segment 0: 2 of 5 never purchased (the largest single group) → named by its buyers.
        // Segment 1: 3 of 4 never purchased → "Prospects".
        let users = [0, 0, 0, 0, 0, 1, 1, 1, 1]
        let rfm: [String?] = ["Prospects", "Prospects", "Champions", "At Risk", "Champions",
                              "Prospects", "Prospects", "Prospects", "Champions"]
        let labels = SegmentNaming.labels(profiles: [], sizes: [0: 5, 1: 4], userSegments: users, userRFMSegments: rfm,
                                          previousNames: [:], kept: [])
        let names = Dictionary(uniqueKeysWithValues: labels.map { ($0.segmentId, $0.name) })
        XCTAssertTrue(names[0]!.hasPrefix("Champions"), names[0]!)
        XCTAssertTrue(names[1]!.hasPrefix("Prospects"), names[1]!)
    }

    // MARK: On a build

    private func cdnowSample(asOf: String = "1997-09-30") throws -> (Warehouse, BuildSummary) {
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: fixture("cdnow/CDNOW_sample.txt"),
                               options: LoadOptions(target: .events, mapping: try mapping("cdnow_sample.yaml")))
        var options = BuildOptions()
        options.k = 4
        options.asOf = BuildOptions.parseAsOf(asOf)
        return (warehouse, try Build(warehouse: warehouse, options: options).run())
    }

    func testBGNBDAndGammaGammaOnTheCDNOWSampleMatchThePublishedParameters() throws {
        let (warehouse, summary) = try cdnowSample()
        let parameters = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select model, parameter, value, time_unit, calibration_end, customers from current_retention_model")
        }
        let published: [String: Double] = ["r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "p": 6.25, "q": 3.74, "gamma": 15.44]
        XCTAssertEqual(parameters.count, 7)
        for row in parameters {
            let name: String = row["parameter"]
            let expected = try XCTUnwrap(published[name])
            XCTAssertEqual(row["value"] as Double, expected, accuracy: expected * 0.005, "\(name): Fader, Hardie & Lee 2005 / Fader & Hardie 2013")
            XCTAssertEqual(row["time_unit"] as String, "week")
            XCTAssertEqual(row["calibration_end"] as String, "1997-09-30")
        }
        XCTAssertEqual(parameters.first { ($0["model"] as String) == "bg_nbd" }?["customers"] as Int?, 2357)
        XCTAssertEqual(parameters.first { ($0["model"] as String) == "gamma_gamma" }?["customers"] as Int?, 946)
        // Every customer is scored, within the definitions' ranges.
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_retention"), 2357)
        XCTAssertEqual(try warehouse.count("""
            select count(*) from current_user_retention
            where p_alive between 0 and 1 and expected_purchases_90d >= expected_purchases_30d and expected_purchases_30d >= 0
              and clv >= 0 and expected_avg_order_value > 0
            """), 2357)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_retention where frequency = 0 and churn_risk != 'one_time'"), 0)
        XCTAssertFalse(summary.warnings.contains { $0.contains("retention") }, "\(summary.warnings)")
    }

    func testProfilesCompareEachSegmentWithThePopulation() throws {
        let (warehouse, _) = try cdnowSample()
        try DatabaseQueue(path: warehouse.path).read { db in
            let population = try Double.fetchOne(db, sql: "select avg(monetary_total) from user_rfm")!
            let sd = try Double.fetchOne(db, sql: """
                select sqrt(sum((monetary_total - a) * (monetary_total - a)) / (count(*) - 1))
                from user_rfm, (select avg(monetary_total) as a from user_rfm)
                """)!
            for row in try Row.fetchAll(db, sql: "select * from current_segment_profiles where feature = 'monetary_total'") {
                let mean: Double = row["mean"]
                XCTAssertEqual(row["population_mean"] as Double, population, accuracy: 1e-9)
                XCTAssertEqual(row["lift"] as Double, mean / population, accuracy: 1e-9)
                XCTAssertEqual(row["z_score"] as Double, (mean - population) / sd, accuracy: 1e-9)
            }
        }
    }

    func testSegmentsGetUniqueNamesThatStayWithTheirIdsAndRFMScoresCoverEveryUser() throws {
        let (warehouse, first) = try cdnowSample()
        let names = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select segment_id, name, description from current_segments order by segment_id")
        }
        XCTAssertEqual(names.count, 4)
        XCTAssertEqual(Set(names.map { $0["name"] as String }).count, 4, "unique within the run")
        for row in names {
            let name: String = row["name"], description: String = row["description"]
            let head = try XCTUnwrap(name.components(separatedBy: " — ").first)
            XCTAssertTrue(RFMScoring.segmentNames.contains(head) || head == RFMScoring.prospectName, name)
            XCTAssertTrue(description.contains("users ("), description)
        }
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_rfm_scores"), first.nUsers)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_rfm_scores where rfm_cell != r_score || f_score || m_score"), 0)

        var options = BuildOptions()
        options.k = 4
        options.asOf = BuildOptions.parseAsOf("1997-09-30")
        _ = try Build(warehouse: warehouse, options: options).run()
        let again = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select segment_id, name from current_segments order by segment_id")
        }
        XCTAssertEqual(again.map { $0["name"] as String }, names.map { $0["name"] as String }, "names stay with the stable ids")
    }
}

/// Campaigns evaluated by a build: the shipped files on the bundled sample, stability across
/// builds, and a broken campaign failing the build without touching the published run.
final class CampaignBuildTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    private func sampleWarehouse(sql: SQLDirectory = .bundled) throws -> Warehouse {
        let warehouse = try Warehouse(path: scratch.databasePath, sql: sql)
        try warehouse.prepareSchema()
        let sample = repositoryRoot.appendingPathComponent("examples/sample")
        _ = try warehouse.load(file: sample.appendingPathComponent("events.csv"),
                               options: LoadOptions(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma)))
        _ = try warehouse.load(file: sample.appendingPathComponent("users.csv"),
                               options: LoadOptions(target: .users, mapping: .canonical(target: .users, format: .csv, delimiter: .comma)))
        return warehouse
    }

    private func build(_ warehouse: Warehouse) throws -> BuildSummary {
        var options = BuildOptions()
        options.k = 4
        return try Build(warehouse: warehouse, options: options).run()
    }

    func testShippedCampaignsReachTheSampleOncePerChannelAndHoldTheSameUsersOut() throws {
        let warehouse = try sampleWarehouse()
        let first = try build(warehouse)
        XCTAssertEqual(first.campaigns.map(\.campaignId).sorted(),
                       ["birthday_privilege", "loyalty_programme", "new_customer_care", "personalised_ads", "price_sensitive_discount", "winback_coupon"])
        XCTAssertGreaterThan(first.campaigns.reduce(0) { $0 + $1.treated }, 0)
        XCTAssertEqual(try warehouse.count("""
            select count(*) from (select user_id, channel from current_campaign_assignments group by 1, 2 having count(*) > 1)
            """), 0, "one campaign per user and channel")
        let heldOut = { try DatabaseQueue(path: warehouse.path).read { db in
            try String.fetchAll(db, sql: "select campaign_id || '/' || user_id from current_campaign_assignments where is_holdout order by 1")
        } }
        let before = try heldOut()
        _ = try build(warehouse)
        XCTAssertEqual(try heldOut(), before, "the control group is the same night after night")
    }

    func testABrokenCampaignFailsTheBuildAndLeavesThePublishedRunCurrent() throws {
        let root = scratch.url.appendingPathComponent("sql")
        try FileManager.default.copyItem(at: SQLDirectory.bundled.root, to: root)
        let warehouse = try sampleWarehouse(sql: SQLDirectory(root: root))
        let published = try build(warehouse)
        // A runtime failure: compiles, then fails while the run publishes (a view that errors).
        try """
            -- id: broken
            -- name: Broken
            -- channel: sms
            -- offer: none
            -- priority: 1
            -- holdout_pct: 0
            select user_id from current_user_segments where abs(-9223372036854775808) > 0
            """.write(to: root.appendingPathComponent("queries/campaigns/zz_broken.sql"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try build(warehouse)) { error in
            XCTAssertTrue("\(error)".contains("zz_broken.sql"), "\(error)")
        }
        XCTAssertEqual(try warehouse.count("select run_id from current_run"), Int(published.runId))
        XCTAssertEqual(try warehouse.text("select status from segmentation_runs order by run_id desc limit 1"), "failed")
        XCTAssertEqual(try warehouse.count("select count(*) from user_segments where run_id != \(published.runId)"), 0, "rolled back")

        // A campaign that writes is refused before any run starts.
        try "-- id: broken\n-- name: B\n-- channel: sms\n-- offer: x\n-- priority: 1\n-- holdout_pct: 0\ndelete from events\n"
            .write(to: root.appendingPathComponent("queries/campaigns/zz_broken.sql"), atomically: true, encoding: .utf8)
        let runs = try warehouse.count("select count(*) from segmentation_runs")
        XCTAssertThrowsError(try build(warehouse)) { error in
            guard case let WarehouseError.campaign(file, _, _)? = error as? WarehouseError else { return XCTFail("\(error)") }
            XCTAssertTrue(file.hasSuffix("zz_broken.sql"), file)
        }
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs"), runs, "refused before a run row")
        XCTAssertGreaterThan(try warehouse.count("select count(*) from events"), 0)
    }
}

/// Retention edge cases found on real and heavy-tailed data.
final class RetentionEdgeTests: XCTestCase {
    func testAnEarlyCalibrationWithAPlusBBelowOneStillScoresEveryone() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: fixture("cdnow/CDNOW_sample.txt"),
                               options: LoadOptions(target: .events, mapping: try mapping("cdnow_sample.yaml")))
        var options = BuildOptions()
        options.k = 3
        options.asOf = BuildOptions.parseAsOf("1997-01-31")
        let summary = try Build(warehouse: warehouse, options: options).run()
        XCTAssertFalse(summary.warnings.contains { $0.contains("retention models not fitted") }, "\(summary.warnings)")
        XCTAssertLessThan(try Double(XCTUnwrap(warehouse.text("select sum(value) from current_retention_model where model = 'bg_nbd' and parameter in ('a', 'b')")))!, 1)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_retention where expected_purchases_30d > 0 and clv >= 0"), summary.nUsers)
    }

    func testHeavyTailedSpendWithQAtMostOneLeavesValuesNullWithAWarning() throws {
        // The CDNOW sample's purchase summary, with repeat-purchase values replaced by Pareto draws
        // of shape 0.4 (no finite mean): Gamma–Gamma then fits q <= 1.
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: fixture("cdnow/CDNOW_sample.txt"),
                               options: LoadOptions(target: .events, mapping: try mapping("cdnow_sample.yaml")))
        let summary = try warehouse.readFeatures(view: "retention_summary", asOf: "1997-09-30T23:59:59Z")
        var rng = Xoshiro256StarStar(seed: 3)
        var values = summary.values
        let d = summary.columnNames.count, mean = summary.columnNames.firstIndex(of: "mean_repeat_value")!
        for i in summary.userIds.indices where !values[i * d + mean].isNaN {
            values[i * d + mean] = 10 * pow(1 - Double(rng.next() >> 11) / Double(1 << 53), -1 / 0.4)
        }
        let table = FeatureTable(view: summary.view, keyColumn: summary.keyColumn, userIds: summary.userIds,
                                 columnNames: summary.columnNames, values: values)
        var warnings: [String] = []
        let output = try RetentionStep.score(table, calibrationEnd: "2024-01-01", warnings: &warnings)
        let q = try XCTUnwrap(output.parameters.first { $0.parameter == "q" }?.value)
        XCTAssertLessThanOrEqual(q, 1, "the case this test is about")
        XCTAssertTrue(output.users.allSatisfy { ($0.clv ?? 0).isFinite && ($0.expectedOrderValue ?? 0).isFinite }, "no inf written")
        XCTAssertTrue(output.users.contains { $0.frequency == 0 && $0.clv == nil })
        XCTAssertTrue(warnings.contains { $0.contains("q = ") && $0.contains("NULL") }, "\(warnings)")
    }
}
