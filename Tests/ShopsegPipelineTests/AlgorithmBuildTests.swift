import Foundation
import GRDB
import ShopsegEngine
import ShopsegIngest
@testable import ShopsegPipeline
import ShopsegWarehouse
import XCTest

/// Every algorithm and preparation option reachable from a build, on a feature table with three
/// obvious groups, and what each writes (k_selection, segment_linkage, pca_*, metrics, parameters).
final class AlgorithmBuildTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    /// 30 customers in three tight, far-apart groups of 14, 10 and 6 (spend, visits).
    private func threeGroups() throws -> Warehouse {
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: try scratch.file("e.csv", "user_id,event_type,occurred_at\nx,view,2024-01-01T00:00:00Z\n"),
                               options: .init(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma)))
        try DatabaseQueue(path: warehouse.path).write { db in
            try db.execute(sql: "create table groups (customer text, spend real, visits real)")
            let centres: [(Double, Double, Int)] = [(10, 2, 14), (500, 20, 10), (2000, 60, 6)]
            var i = 0
            for (spend, visits, count) in centres {
                for j in 0..<count {
                    try db.execute(sql: "insert into groups values (?, ?, ?)",
                                   arguments: ["c\(i)", spend + Double(j % 5) * 0.7, visits + Double(j % 3) * 0.3])
                    i += 1
                }
            }
        }
        return warehouse
    }

    private func build(_ warehouse: Warehouse, _ change: (inout BuildOptions) -> Void) throws -> BuildSummary {
        var options = BuildOptions()
        options.featureView = "groups"
        options.transform = .none
        change(&options)
        return try Build(warehouse: warehouse, options: options).run()
    }

    private func run(_ warehouse: Warehouse) throws -> Row {
        try DatabaseQueue(path: warehouse.path).read { try Row.fetchOne($0, sql: "select * from current_run")! }
    }

    func testEveryAlgorithmFindsTheThreeGroups() throws {
        let warehouse = try threeGroups()
        let variants: [(String, (inout BuildOptions) -> Void)] = [
            ("kmeans", { $0.k = 3 }),
            ("minibatch-kmeans", { $0.algorithm = .minibatchKMeans; $0.k = 3; $0.batchSize = 8 }),
            ("agglomerative", { $0.algorithm = .agglomerative; $0.k = 3 }),
            ("agglomerative", { $0.algorithm = .agglomerative; $0.linkage = .single; $0.k = 3 }),
            ("dbscan", { $0.algorithm = .dbscan; $0.eps = 0.3; $0.minSamples = 3 }),
        ]
        for (name, change) in variants {
            let summary = try build(warehouse, change)
            XCTAssertEqual(summary.algorithm, name)
            XCTAssertEqual(summary.segments.map(\.size), [14, 10, 6], name)
            XCTAssertGreaterThan(summary.silhouette ?? 0, 0.9, name)
            let run = try run(warehouse)
            XCTAssertEqual(run["algorithm"] as String, name)
            XCTAssertNotNil(run["davies_bouldin"] as Double?, name)
            XCTAssertNotNil(run["calinski_harabasz"] as Double?, name)
            XCTAssertTrue((run["parameters"] as String).contains("\"algorithm\":\"\(name)\""), name)
        }
    }

    func testKAutoWritesTheSweepAndPicksTheHighestSilhouette() throws {
        let warehouse = try threeGroups()
        let summary = try build(warehouse) { $0.kRange = 2...6 }
        XCTAssertEqual(summary.segments.count, 3)
        let rows = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select k, silhouette, is_chosen from k_selection where run_id = ? order by k", arguments: [summary.runId])
        }
        XCTAssertEqual(rows.map { $0["k"] as Int }, [2, 3, 4, 5, 6])
        XCTAssertEqual(rows.filter { $0["is_chosen"] as Bool }.map { $0["k"] as Int }, [3])
        let best = rows.max { ($0["silhouette"] as Double) < ($1["silhouette"] as Double) }!
        XCTAssertEqual(best["k"] as Int, 3)
        XCTAssertTrue((try run(warehouse)["parameters"] as String).contains("\"n_clusters\":\"auto:2-6\""))
        XCTAssertEqual(summary.chosenK, 3)

        // Mini-batch sweeps with mini-batch fits: the chosen row is the published fit.
        let minibatch = try build(warehouse) { $0.algorithm = .minibatchKMeans; $0.kRange = 2...4; $0.batchSize = 8 }
        let chosen = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchOne(db, sql: "select k, inertia, silhouette from k_selection where run_id = ? and is_chosen", arguments: [minibatch.runId])!
        }
        XCTAssertEqual(chosen["k"] as Int, 3)
        XCTAssertEqual(chosen["inertia"] as Double, minibatch.inertia ?? .nan, accuracy: 1e-9)
        XCTAssertEqual(chosen["silhouette"] as Double, minibatch.silhouette ?? .nan, accuracy: 1e-9)

        // A range beyond the users is clipped, with a warning.
        let clipped = try build(warehouse) { $0.kRange = 2...40 }
        XCTAssertTrue(clipped.warnings.contains { $0.contains("clipped to 2-29") }, "\(clipped.warnings)")
        XCTAssertEqual(try warehouse.count("select max(k) from k_selection where run_id = \(clipped.runId)"), 29)
    }

    func testAboveTheSweepThresholdKIsChosenOnASampleAndTheChosenKFittedOnEveryUser() throws {
        let warehouse = try threeGroups()
        let full = try build(warehouse) { $0.kRange = 2...6 }
        let sampled = try build(warehouse) { $0.kRange = 2...6; $0.kSweepSample = SweepSample(threshold: 25, size: 20) }
        XCTAssertEqual(full.chosenK, 3)
        XCTAssertEqual(sampled.chosenK, full.chosenK)
        XCTAssertNil(full.kSweepSampleSize)
        XCTAssertEqual(sampled.kSweepSampleSize, 20)
        // The published fit covers all 30 users: the same segments as the full sweep's.
        XCTAssertEqual(sampled.segments.map(\.size), [14, 10, 6])
        XCTAssertEqual(try warehouse.count("select count(*) from user_segments where run_id = \(sampled.runId)"), 30)
        XCTAssertEqual(sampled.inertia ?? .nan, full.inertia ?? .nan, accuracy: 1e-9)
        XCTAssertEqual(sampled.silhouette ?? .nan, full.silhouette ?? .nan, accuracy: 1e-12)
        // k_selection describes the 20-user sample (its inertia is not the run's), and the run says so.
        let chosenInertia = try DatabaseQueue(path: warehouse.path).read { db in
            try Double.fetchOne(db, sql: "select inertia from k_selection where run_id = ? and is_chosen", arguments: [sampled.runId])!
        }
        XCTAssertLessThan(chosenInertia, sampled.inertia ?? 0)
        let parameters = try run(warehouse)["parameters"] as String
        XCTAssertTrue(parameters.contains("\"k_sweep_sample_size\":20"), parameters)
        XCTAssertTrue(parameters.contains("every k fitted and scored on a seeded sample of 20 of 30 rows, the chosen k refitted on all 30"), parameters)
        // At the threshold nothing is sampled: the run equals the default build's.
        let atThreshold = try build(warehouse) { $0.kRange = 2...6; $0.kSweepSample = SweepSample(threshold: 30, size: 20) }
        XCTAssertNil(atThreshold.kSweepSampleSize)
        XCTAssertEqual(atThreshold.inertia, full.inertia)
        XCTAssertEqual(atThreshold.silhouette, full.silhouette)
        XCTAssertFalse((try run(warehouse)["parameters"] as String).contains("k_sweep_sample_size"))
    }

    func testAgglomerativeWritesTheMergeTreeInScipyConvention() throws {
        let warehouse = try threeGroups()
        let summary = try build(warehouse) { $0.algorithm = .agglomerative; $0.distanceThreshold = 1 }
        let merges = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select step, \"left\", \"right\", distance, size from segment_linkage where run_id = ? order by step",
                             arguments: [summary.runId])
        }
        XCTAssertEqual(merges.count, 29, "n - 1 merges")
        // scikit-learn's cut: merges at a distance >= the threshold are not applied.
        let distances = merges.map { $0["distance"] as Double }
        XCTAssertEqual(summary.segments.count, 1 + distances.filter { $0 >= 1 }.count)
        XCTAssertEqual(summary.segments.map(\.size), [14, 10, 6], "within-group merges are tiny, between-group ones large: \(distances.suffix(3))")
        XCTAssertEqual(merges.last?["size"] as Int?, 30)
        XCTAssertEqual(merges.map { $0["distance"] as Double }, merges.map { $0["distance"] as Double }.sorted())
        for (step, merge) in merges.enumerated() {
            XCTAssertLessThan(merge["left"] as Int, 30 + step, "a merge only uses clusters that exist")
            XCTAssertLessThan(merge["right"] as Int, 30 + step)
        }
    }

    func testPreparationChoicesAreRecordedAndNoneNoneClustersTheViewAsItIs() throws {
        let warehouse = try threeGroups()
        _ = try build(warehouse) { $0.k = 3; $0.scaler = .none }
        // Unscaled, spend dominates: distances are in raw units of the view.
        let distance = try warehouse.count("select cast(max(distance_to_centroid) * 1000 as integer) from current_user_segments")
        XCTAssertGreaterThan(distance, 1000, "raw units: spend spreads up to 2.8 within a group")
        let columns = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select feature, transform, center, scale from model_columns where run_id = (select run_id from current_run)")
        }
        XCTAssertEqual(columns.map { $0["transform"] as String }, ["none", "none"])
        XCTAssertEqual(columns.map { $0["scale"] as Double }, [1, 1])
        XCTAssertEqual(columns.map { $0["center"] as Double }, [0, 0])
        let parameters = try run(warehouse)["parameters"] as String
        for expected in ["\"scaler\":\"none\"", "\"transform\":\"none\"", "\"impute\":\"median\"", "\"reduce\":\"none\""] {
            XCTAssertTrue(parameters.contains(expected), parameters)
        }
    }

    func testReducingWithPCAWritesComponentsAndVariance() throws {
        let warehouse = try threeGroups()
        let summary = try build(warehouse) { $0.k = 3; $0.reduce = .pcaCount(1) }
        XCTAssertEqual(summary.segments.map(\.size), [14, 10, 6])
        XCTAssertEqual(try warehouse.count("select n_features from current_run"), 1)
        XCTAssertEqual(try warehouse.count("select pca_components from model_settings where run_id = \(summary.runId)"), 1)
        XCTAssertEqual(try warehouse.count("select count(*) from pca_variance where run_id = \(summary.runId)"), 2, "two kept for plotting")
        XCTAssertEqual(try warehouse.count("select count(*) from pca_components where run_id = \(summary.runId)"), 4)
        let ratios = try DatabaseQueue(path: warehouse.path).read { db in
            try Double.fetchAll(db, sql: "select explained_variance_ratio from pca_variance where run_id = ? order by component", arguments: [summary.runId])
        }
        XCTAssertEqual(ratios.reduce(0, +), 1, accuracy: 1e-12, "two columns, two components: all the variance")
        XCTAssertGreaterThanOrEqual(ratios[0], ratios[1])
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_segments where pc1 is null or pc2 is null"), 0)
    }

    func testOneClusterStoresNullSilhouetteWithTheReason() throws {
        let warehouse = try threeGroups()
        let summary = try build(warehouse) { $0.k = 1 }
        XCTAssertNil(summary.silhouette)
        let run = try run(warehouse)
        XCTAssertNil(run["silhouette"] as Double?)
        XCTAssertNil(run["davies_bouldin"] as Double?)
        XCTAssertTrue((run["silhouette_note"] as String? ?? "").contains("Number of labels is 1"), "\(run)")
        XCTAssertTrue(summary.warnings.contains { $0.hasPrefix("silhouette undefined") }, "\(summary.warnings)")
    }

    func testDBSCANNoiseIsSegmentMinusOneAndNewUsersFarFromEveryCoreSampleAreNoise() throws {
        let warehouse = try threeGroups()
        try DatabaseQueue(path: warehouse.path).write { db in
            try db.execute(sql: "insert into groups values ('loner', 1200, 40)")
        }
        let summary = try build(warehouse) { $0.algorithm = .dbscan; $0.eps = 0.3; $0.minSamples = 3 }
        XCTAssertEqual(summary.segments.map(\.segmentId).sorted(), [-1, 0, 1, 2])
        XCTAssertEqual(summary.segments.first { $0.segmentId == -1 }?.size, 1)
        XCTAssertEqual(summary.segments.first { $0.segmentId == -1 }?.lineage, "noise")
        XCTAssertEqual(try warehouse.count("select n_noise from current_run"), 1)
        XCTAssertEqual(try warehouse.count("select n_segments from current_run"), 3)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_segments where segment_id = -1 and distance_to_centroid is null"), 1)
        XCTAssertEqual(try warehouse.count("select count(*) from current_segments where segment_id = -1"), 1, "noise is a segment of its own")
        XCTAssertEqual(try warehouse.count("select count(*) from model_points where run_id = \(summary.runId) and role = 'core'"), 30)

        let model = try warehouse.readModel(runId: summary.runId)
        XCTAssertEqual(model.assignRule, "nearest_point_within_eps")
        let placement = try ModelPlacement(model: model, tableColumns: ["spend", "visits"])
        XCTAssertEqual(placement.place([10.5, 2.2][...]).segmentId, summary.segments.first { $0.size == 14 }?.segmentId)
        XCTAssertEqual(placement.place([5000, 100][...]).segmentId, -1, "far from every core sample")
        XCTAssertNil(placement.place([5000, 100][...]).distance)
    }

    func testDBSCANFindingOnlyNoisePublishesOneNoiseSegmentWithAWarning() throws {
        let warehouse = try threeGroups()
        let summary = try build(warehouse) { $0.algorithm = .dbscan; $0.eps = 1e-6; $0.maxSegmentShare = 1 }
        XCTAssertEqual(summary.segments.map(\.segmentId), [-1])
        XCTAssertNil(summary.silhouette)
        XCTAssertNil(summary.inertia)
        XCTAssertTrue(summary.warnings.contains { $0.contains("all samples are noise") }, "\(summary.warnings)")
        XCTAssertThrowsError(try build(warehouse) { $0.algorithm = .dbscan; $0.eps = 1e-6 }, "the default share gate refuses it")
    }
}
