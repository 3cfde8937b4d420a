import Foundation
import GRDB
@testable import ShopsegPipeline
import ShopsegWarehouse
import XCTest

final class BuildTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    /// A custom feature table with two obvious groups: any table or view with a key and numbers works.
    private func twoGroups() throws -> Warehouse {
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: try scratch.file("e.csv", "user_id,event_type,occurred_at\nx,view,2024-01-01T00:00:00Z\n"),
                               options: .init(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma)))
        let queue = try DatabaseQueue(path: warehouse.path)
        try queue.write { db in
            try db.execute(sql: "create table my_features (customer text, spend real, visits real)")
            for i in 0..<20 {
                let big = i < 8
                try db.execute(sql: "insert into my_features values (?, ?, ?)",
                               arguments: ["c\(i)", big ? 1000.0 + Double(i) : 10.0 + Double(i), big ? 50.0 : 2.0 + Double(i % 3)])
            }
        }
        return warehouse
    }

    private func options(k: Int, view: String = "my_features", seed: UInt64 = 0) -> BuildOptions {
        var options = BuildOptions()
        options.k = k
        options.featureView = view
        options.seed = seed
        return options
    }

    func testSeparableGroupsAreFoundAndWrittenInLongFormat() throws {
        let warehouse = try twoGroups()
        let summary = try Build(warehouse: warehouse, options: options(k: 2)).run()
        XCTAssertEqual(summary.segments.map(\.size), [12, 8], "segment 0 is the largest")
        let labels = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select user_id, segment_id from current_user_segments")
        }
        let bigSpenders = Set(labels.filter { ($0["segment_id"] as Int) == 1 }.map { $0["user_id"] as String })
        XCTAssertEqual(bigSpenders, Set((0..<8).map { "c\($0)" }))
        XCTAssertEqual(try warehouse.count("select count(*) from current_segment_profiles"), 2 * 2, "segments × features")
        XCTAssertEqual(try warehouse.text("select printf('%.1f', mean) from current_segment_profiles where segment_id = 1 and feature = 'spend'"),
                       "1003.5", "profiles are in raw units")
        XCTAssertGreaterThan(summary.silhouette ?? 0, 0.8)
        let run = try DatabaseQueue(path: warehouse.path).read { try Row.fetchOne($0, sql: "select * from current_run")! }
        XCTAssertEqual(run["status"] as String, "published")
        XCTAssertEqual(run["n_users"] as Int, 20)
        XCTAssertEqual(run["n_segments"] as Int, 2)
        XCTAssertTrue((run["parameters"] as String).contains("\"n_clusters\":2"), run["parameters"] as String)
        // Published with foreign keys unchecked per row (every row names the run): all hold.
        XCTAssertEqual(try DatabaseQueue(path: warehouse.path).read { try Row.fetchAll($0, sql: "pragma foreign_key_check").count }, 0)
    }

    func testSameSeedSameSegments() throws {
        let warehouse = try twoGroups()
        _ = try Build(warehouse: warehouse, options: options(k: 3, seed: 7)).run()
        _ = try Build(warehouse: warehouse, options: options(k: 3, seed: 7)).run()
        XCTAssertEqual(try warehouse.count("""
            select count(*) from user_segments a join user_segments b on a.user_id = b.user_id
            where a.run_id = 1 and b.run_id = 2 and a.segment_id = b.segment_id and a.distance_to_centroid = b.distance_to_centroid
            """), 20)
    }

    func testFailedBuildKeepsThePublishedRun() throws {
        let warehouse = try twoGroups()
        _ = try Build(warehouse: warehouse, options: options(k: 2)).run()
        XCTAssertThrowsError(try Build(warehouse: warehouse, options: options(k: 25)).run())
        XCTAssertEqual(try warehouse.count("select run_id from current_run"), 1)
        XCTAssertEqual(try warehouse.text("select status from segmentation_runs where run_id = 2"), "failed")
        XCTAssertNotNil(try warehouse.text("select error from segmentation_runs where run_id = 2"))
        XCTAssertEqual(try warehouse.count("select count(*) from user_segments where run_id = 2"), 0)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_segments"), 20)
    }

    func testAsOfParsing() {
        XCTAssertEqual(BuildOptions.parseAsOf("2024-02-29"), "2024-02-29T23:59:59Z")
        XCTAssertEqual(BuildOptions.parseAsOf("2024-03-01T12:00:00Z"), "2024-03-01T12:00:00Z")
        XCTAssertNil(BuildOptions.parseAsOf("2023-02-29"))
        XCTAssertNil(BuildOptions.parseAsOf("2024-03-01T12:00:00"))
        XCTAssertNil(BuildOptions.parseAsOf("03/01/2024"))
        XCTAssertNil(BuildOptions.parseAsOf(""))
        XCTAssertNil(BuildOptions.parseAsOf("T"))
        XCTAssertNil(BuildOptions.parseAsOf("2024-+1-01"))
    }

    func testAsOfIsRecordedAndUsedByTheViews() throws {
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: try scratch.file("e.csv", """
            user_id,event_type,occurred_at,amount
            a,purchase,2024-01-01T00:00:00Z,10
            b,purchase,2024-01-05T00:00:00Z,20
            c,purchase,2024-02-01T00:00:00Z,30

            """), options: .init(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma)))
        var options = BuildOptions()
        options.k = 2
        options.asOf = BuildOptions.parseAsOf("2024-01-10")
        let summary = try Build(warehouse: warehouse, options: options).run()
        XCTAssertEqual(summary.nUsers, 2, "c bought after as_of")
        XCTAssertEqual(try warehouse.text("select as_of from current_run"), "2024-01-10T23:59:59Z")
    }

    func testAFailedBuildLeavesTheFeatureViewsAsOfAlone() throws {
        let warehouse = try twoGroups()
        var first = options(k: 2)
        first.asOf = "2024-01-01T00:00:00Z"
        _ = try Build(warehouse: warehouse, options: first).run()
        var early = options(k: 2)
        early.asOf = "2023-06-30T23:59:59Z"
        XCTAssertThrowsError(try Build(warehouse: warehouse, options: early).run()) { error in
            guard case let WarehouseError.noEventsBefore(asOf, firstEventAt, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(asOf, "2023-06-30T23:59:59Z")
            XCTAssertEqual(firstEventAt, "2024-01-01T00:00:00Z")
        }
        XCTAssertEqual(try warehouse.text("select as_of from feature_as_of"), "2024-01-01T00:00:00Z",
                       "the views keep the published run's as_of")
        XCTAssertEqual(try warehouse.count("select count(*) from user_features"), 1)
    }

    func testMoreSegmentsThanUsersIsRefusedBeforeClustering() throws {
        let warehouse = try twoGroups()
        XCTAssertThrowsError(try Build(warehouse: warehouse, options: options(k: 21)).run()) { error in
            XCTAssertEqual(error as? PipelineError, .tooFewUsers(users: 20, k: 21, view: "my_features"))
        }
    }

    func testThePublishedPointerAndTheViewsAsOfMoveTogether() throws {
        let warehouse = try twoGroups()
        let first = try warehouse.startRun(asOf: "2024-06-30T00:00:00Z", featureView: "my_features", algorithm: "kmeans",
                                           parametersJSON: "{}", toolVersion: "test")
        let second = try warehouse.startRun(asOf: "2024-01-01T00:00:00Z", featureView: "my_features", algorithm: "kmeans",
                                            parametersJSON: "{}", toolVersion: "test")
        let output = RunOutput(parametersJSON: "{}", nFeatures: 1, metrics: RunMetrics(inertia: 0), warnings: [],
                               assignments: [SegmentAssignment(userId: "c0", segmentId: 0, distanceToCentroid: 0)], profiles: [],
                               model: RunModel(columns: [], points: []))
        try warehouse.publishRun(first, output)
        XCTAssertEqual(try warehouse.count("select run_id from current_run"), Int(first))
        XCTAssertEqual(try warehouse.text("select as_of from feature_as_of"), "2024-06-30T00:00:00Z")
        // The pointer follows the last publish, even to a smaller run_id.
        try warehouse.publishRun(second, output)
        XCTAssertEqual(try warehouse.count("select run_id from current_run"), Int(second))
        XCTAssertEqual(try warehouse.text("select as_of from feature_as_of"), "2024-01-01T00:00:00Z",
                       "features and the current segments describe the same instant")
        XCTAssertThrowsError(try warehouse.publishRun(second, output), "a run publishes once")
    }
}
