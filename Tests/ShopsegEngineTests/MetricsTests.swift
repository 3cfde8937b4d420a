import XCTest
@testable import ShopsegEngine

private struct MetricsFile: Decodable {
    struct Case: Decodable {
        let name: String
        let rows: Int, columns: Int
        let x: [Double]
        let labels: [Int]
        let daviesBouldin: Double, calinskiHarabasz: Double, silhouette: Double
        var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
    }
    struct ARICase: Decodable {
        let name: String
        let n: Int?
        let a: [Int], b: [Int]
        let score: Double
    }
    let cases: [Case]
    let ari: [ARICase]
}

final class MetricsTests: XCTestCase {
    private let rel = 1e-9

    // MARK: scikit-learn parity

    func testDaviesBouldinCalinskiHarabaszSilhouetteMatchSklearn() throws {
        let file = try EngineFixtures.load("kmeans_metrics", as: MetricsFile.self)
        XCTAssertEqual(file.cases.count, 5)
        for f in file.cases {
            let db = try ClusterMetrics.daviesBouldin(f.matrix, labels: f.labels)
            let ch = try ClusterMetrics.calinskiHarabasz(f.matrix, labels: f.labels)
            let s = try Silhouette.score(f.matrix, labels: f.labels).value
            XCTAssertTrue(agrees(db, f.daviesBouldin, rel: rel), "\(f.name): DB \(db) vs sklearn \(f.daviesBouldin)")
            XCTAssertTrue(agrees(ch, f.calinskiHarabasz, rel: rel), "\(f.name): CH \(ch) vs sklearn \(f.calinskiHarabasz)")
            XCTAssertTrue(agrees(s, f.silhouette, rel: rel), "\(f.name): silhouette \(s) vs sklearn \(f.silhouette)")
            // ClusterQuality with −1 scored as a cluster gives the same numbers.
            let q = try ClusterQuality.evaluate(f.matrix, labels: f.labels, noise: .asCluster)
            XCTAssertEqual(q.daviesBouldin.value, db)
            XCTAssertEqual(q.calinskiHarabasz.value, ch)
            XCTAssertEqual(q.silhouette.value, s)
        }
    }

    func testAdjustedRandMatchesSklearn() throws {
        let file = try EngineFixtures.load("kmeans_metrics", as: MetricsFile.self)
        for f in file.ari {
            var a = f.a, b = f.b
            if f.name == "formulaLarge" {
                a = (0..<f.n!).map { $0 % 3 }
                b = (0..<f.n!).map { ($0 / 7) % 4 }
            } else if f.name == "formulaLargeNear" {
                a = (0..<f.n!).map { $0 % 5 }
                b = (0..<f.n!).map { $0 % 1000 == 0 ? ($0 + 1) % 5 : $0 % 5 }
            }
            let s = try AdjustedRandIndex.score(a, b)
            XCTAssertLessThanOrEqual(abs(s - f.score), rel * max(abs(f.score), 1e-3),
                                     "\(f.name): ARI \(s) vs sklearn \(f.score)")
            XCTAssertEqual(try AdjustedRandIndex.score(b, a), s, "\(f.name): symmetric")
        }
    }

    // MARK: hand-worked cases

    func testDaviesBouldinHandWorked() throws {
        // Clusters {0, 2} and {10, 14}: centroids 1 and 12, s = 1 and 2, distance 11.
        let db = try ClusterMetrics.daviesBouldin(Matrix(rows: [[0], [2], [10], [14]]), labels: [0, 0, 1, 1])
        XCTAssertEqual(db, 3.0 / 11, accuracy: 1e-15)
    }

    func testCalinskiHarabaszHandWorked() throws {
        // Overall mean 6.5; B = 2·5.5² + 2·5.5² = 121; W = 1 + 1 + 4 + 4 = 10; (n − L)/(L − 1) = 2.
        let ch = try ClusterMetrics.calinskiHarabasz(Matrix(rows: [[0], [2], [10], [14]]), labels: [0, 0, 1, 1])
        XCTAssertEqual(ch, 121.0 * 2 / 10, accuracy: 1e-12)
        // Zero within-cluster dispersion gives 1.0, as scikit-learn.
        XCTAssertEqual(try ClusterMetrics.calinskiHarabasz(Matrix(rows: [[0], [0], [5], [5]]), labels: [0, 0, 1, 1]), 1)
    }

    func testAdjustedRandHandWorked() throws {
        XCTAssertEqual(try AdjustedRandIndex.score([0, 0, 1, 1], [7, 7, -1, -1]), 1)
        XCTAssertEqual(try AdjustedRandIndex.score([], []), 1)
        // a = {0,1},{2,3}; b = {0},{1,2},{3}; ordered pairs incl. i = j: Σnᵢⱼ² = 4, Σaᵢ² = 8,
        // Σbⱼ² = 6 → tp = 0, fp = 2, fn = 4, tn = 16 − 2 − 4 − 4 = 6
        // → 2·(0·6 − 4·2) / ((0 + 4)(4 + 6) + (0 + 2)(2 + 6)) = −16/56.
        XCTAssertEqual(try AdjustedRandIndex.score([0, 0, 1, 1], [0, 1, 1, 2]), -16.0 / 56, accuracy: 1e-15)
        XCTAssertThrowsError(try AdjustedRandIndex.score([0, 1], [0])) {
            XCTAssertEqual("\($0)", "Found input variables with inconsistent numbers of samples: [2, 1]")
        }
    }

    func testWideArithmetic() {
        typealias W = AdjustedRandIndex.Wide
        let big = W.product(Int64.max, Int64.max)
        XCTAssertEqual(big.double, Double(Int64.max) * Double(Int64.max), accuracy: 1e22)
        XCTAssertEqual(W.difference(W.product(3, 4), W.product(5, 5)), -13)
        XCTAssertEqual(W.product(1 << 40, 1 << 40).adding(W.product(1 << 40, 1 << 40)), W(high: 1 << 17, low: 0))
    }

    // MARK: ClusterQuality

    func testOneClusterGivesNilWithReason() throws {
        let x = Matrix(rows: [[0], [1], [2], [3]])
        let q = try ClusterQuality.evaluate(x, labels: [5, 5, 5, 5])
        let reason = "Number of labels is 1. Valid values are 2 to n_samples - 1 (inclusive) with n_samples=4"
        XCTAssertEqual(q.silhouette, .undefined(reason))
        XCTAssertEqual(q.daviesBouldin, .undefined(reason))
        XCTAssertEqual(q.calinskiHarabasz, .undefined(reason))
        XCTAssertEqual(q.inertia, 5, accuracy: 1e-12)   // mean 1.5: 2.25 + 0.25 + 0.25 + 2.25
        XCTAssertEqual(q.clusterCount, 1)
        XCTAssertEqual(q.silhouetteSampleSize, 0)
        // Every row its own cluster is undefined too.
        XCTAssertNil(try ClusterQuality.evaluate(x, labels: [0, 1, 2, 3]).silhouette.value)
        // The standalone functions throw instead.
        XCTAssertThrowsError(try ClusterMetrics.daviesBouldin(x, labels: [5, 5, 5, 5])) {
            XCTAssertEqual($0 as? EngineError, .invalidLabelCount(labels: 1, samples: 4))
        }
        XCTAssertThrowsError(try ClusterMetrics.calinskiHarabasz(x, labels: [0, 1, 2, 3]))
    }

    func testNoiseIsExcludedByDefault() throws {
        // Two clusters plus two far noise points: excluding noise scores exactly the clusters.
        let x = Matrix(rows: [[0], [2], [10], [14], [100], [-50]])
        let labels = [0, 0, 1, 1, -1, -1]
        let q = try ClusterQuality.evaluate(x, labels: labels)
        XCTAssertEqual(q.noiseCount, 2)
        XCTAssertEqual(q.scoredCount, 4)
        XCTAssertEqual(q.clusterCount, 2)
        XCTAssertEqual(q.daviesBouldin.value!, 3.0 / 11, accuracy: 1e-15)
        XCTAssertEqual(q.calinskiHarabasz.value!, 24.2, accuracy: 1e-12)
        XCTAssertEqual(q.inertia, 10, accuracy: 1e-12)
        let clean = try Silhouette.score(Matrix(rows: [[0], [2], [10], [14]]), labels: [0, 0, 1, 1]).value
        XCTAssertEqual(q.silhouette.value, clean)
        // As scikit-learn: −1 is a third cluster.
        let asCluster = try ClusterQuality.evaluate(x, labels: labels, noise: .asCluster)
        XCTAssertEqual(asCluster.noiseCount, 0)
        XCTAssertEqual(asCluster.clusterCount, 3)
        XCTAssertEqual(asCluster.daviesBouldin.value, try ClusterMetrics.daviesBouldin(x, labels: labels))
        // Everything noise: nothing to score.
        let all = try ClusterQuality.evaluate(x, labels: [Int](repeating: -1, count: 6))
        XCTAssertNil(all.silhouette.value)
        XCTAssertEqual(all.silhouette.reason, "no rows to score: all n_samples=6 rows are noise (label -1)")
    }

    func testSilhouetteSampledAboveLimitIsFlagged() throws {
        var g = Xoshiro256StarStar(seed: 3)
        let x = Matrix(rows: 300, columns: 2, values: (0..<600).map { _ in g.uniform() })
        let labels = (0..<300).map { x[$0, 0] < 0.5 ? 0 : 1 }
        let q = try ClusterQuality.evaluate(x, labels: labels, silhouetteSampleLimit: 100, seed: 4)
        XCTAssertTrue(q.silhouetteIsSampled)
        XCTAssertEqual(q.silhouetteSampleSize, 100)
        XCTAssertEqual(q.silhouette.value, try Silhouette.score(x, labels: labels, sampleLimit: 100, seed: 4).value)
        let exact = try ClusterQuality.evaluate(x, labels: labels)
        XCTAssertFalse(exact.silhouetteIsSampled)
        XCTAssertEqual(exact.silhouetteSampleSize, 300)
    }

    func testKMeansQualityUsesTheResultsInertia() throws {
        let x = Matrix(rows: [[0, 0], [0, 1], [10, 10], [10, 11], [20, 0], [21, 0]])
        let r = try KMeans(clusterCount: 3).fit(x)
        let q = try ClusterQuality.evaluate(x, kmeans: r)
        XCTAssertEqual(q.inertia, r.inertia)
        XCTAssertEqual(q.inertia, 1.5, accuracy: 1e-12)   // 3 pairs at distance 1: 3 · 2 · 0.5²
        XCTAssertEqual(q.clusterCount, 3)
    }

    func testInputErrors() {
        XCTAssertThrowsError(try ClusterMetrics.daviesBouldin(Matrix(rows: [[0], [.nan], [1]]), labels: [0, 1, 1])) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 1, column: 0))
        }
        XCTAssertThrowsError(try ClusterQuality.evaluate(Matrix(rows: [[0], [1]]), labels: [0])) {
            XCTAssertEqual($0 as? EngineError, .labelCount(labels: 1, samples: 2))
        }
        XCTAssertThrowsError(try ClusterMetrics.calinskiHarabasz(Matrix(rows: 0, columns: 1, values: []), labels: [])) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
    }
}
