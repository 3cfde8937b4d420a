import XCTest
@testable import ShopsegEngine

final class KMeansTests: XCTestCase {
    private let twoSquares = Matrix(rows: [[0, 0], [0, 1], [1, 0], [10, 10], [10, 11], [11, 10]])

    func testTriviallySeparableSetHandComputed() throws {
        let r = try KMeans(clusterCount: 2, seed: 42).fit(twoSquares)
        XCTAssertTrue(samePartition(r.labels, [0, 0, 0, 1, 1, 1]))
        let c = r.canonicallyOrdered()
        // Equal sizes: ties broken by centroid lexicographically, so (1/3, 1/3) first.
        XCTAssertEqual(c.labels, [0, 0, 0, 1, 1, 1])
        XCTAssertEqual(c.centroids[0, 0], 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(c.centroids[1, 1], 31.0 / 3, accuracy: 1e-12)
        // Each cluster: 2/9 + 5/9 + 5/9 = 4/3.
        XCTAssertEqual(r.inertia, 8.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(r.distances[0], (2.0 / 9).squareRoot(), accuracy: 1e-12)
        XCTAssertTrue(r.converged)
        XCTAssertEqual(r.warnings, [])
    }

    func testSingleClusterIsTheMean() throws {
        let r = try KMeans(clusterCount: 1).fit(Matrix(rows: [[1], [2], [6]]))
        XCTAssertEqual(r.labels, [0, 0, 0])
        XCTAssertEqual(r.centroids[0, 0], 3, accuracy: 1e-12)
        XCTAssertEqual(r.inertia, 4 + 1 + 9, accuracy: 1e-12)
    }

    func testAsManyClustersAsDistinctPointsHasZeroInertia() throws {
        let x = Matrix(rows: [[0, 0], [5, 1], [2, 7], [9, 9]])
        let r = try KMeans(clusterCount: 4).fit(x)
        XCTAssertEqual(Set(r.labels).count, 4)
        XCTAssertEqual(r.inertia, 0, accuracy: 1e-12)
    }

    func testEmptyClusterRelocatedToFarthestPoint() throws {
        // Initial centres 1 and 100: all rows join centre 1; the empty cluster takes
        // row 10 (farthest from its centre). sklearn: labels [0 0 0 1], centres [1, 10], n_iter 2.
        let x = Matrix(rows: [[0], [1], [2], [10]])
        let r = try KMeans(clusterCount: 2).fit(x, initialCentroids: Matrix(rows: [[1], [100]]))
        XCTAssertEqual(r.labels, [0, 0, 0, 1])
        XCTAssertEqual(r.centroids.values, [1, 10])
        XCTAssertEqual(r.inertia, 2)
        XCTAssertEqual(r.iterationCount, 2)
    }

    func testFewerDistinctPointsThanClustersWarnsAndDoesNotCrash() throws {
        let x = Matrix(rows: [[1, 1], [1, 1], [2, 2], [2, 2], [1, 1]])
        let r = try KMeans(clusterCount: 3, nInit: 3).fit(x)
        XCTAssertEqual(r.inertia, 0, accuracy: 1e-12)
        XCTAssertTrue(r.warnings.contains("n_distinct_points=2 < n_clusters=3"))
        XCTAssertTrue(r.labels.allSatisfy { (0..<3).contains($0) })
    }

    func testNotConvergedWarning() throws {
        var g = Xoshiro256StarStar(seed: 5)
        let x = Matrix(rows: 200, columns: 2, values: (0..<400).map { _ in g.uniform() })
        let r = try KMeans(clusterCount: 8, nInit: 1, maxIter: 1).fit(x)
        XCTAssertEqual(r.iterationCount, 1)
        XCTAssertFalse(r.converged)
        XCTAssertEqual(r.warnings, ["not converged in max_iter=1"])
    }

    func testLabelsAreNearestCentroidsAndDistancesConsistent() throws {
        var g = Xoshiro256StarStar(seed: 9)
        let x = Matrix(rows: 500, columns: 3, values: (0..<1500).map { _ in g.uniform() * 10 })
        let r = try KMeans(clusterCount: 6, nInit: 2).fit(x)
        var total = 0.0
        for i in 0..<x.rows {
            let d2 = (0..<6).map { j in (0..<3).reduce(0.0) { $0 + pow(x[i, $1] - r.centroids[j, $1], 2) } }
            XCTAssertEqual(d2[r.labels[i]], d2.min()!, accuracy: 1e-9)
            XCTAssertEqual(r.distances[i], d2[r.labels[i]].squareRoot(), accuracy: 1e-9)
            total += d2[r.labels[i]]
        }
        XCTAssertEqual(r.inertia, total, accuracy: 1e-9 * total)
        // Each centroid is the mean of its members.
        for j in 0..<6 {
            let members = (0..<x.rows).filter { r.labels[$0] == j }
            for f in 0..<3 {
                let mean = members.reduce(0.0) { $0 + x[$1, f] } / Double(members.count)
                XCTAssertEqual(r.centroids[j, f], mean, accuracy: 1e-9)
            }
        }
    }

    func testCanonicalOrderSortsBySizeDescending() throws {
        let x = Matrix(rows: [[0], [0.5], [1], [10], [10.5], [20], [20.5], [21], [21.5]])
        let r = try KMeans(clusterCount: 3).fit(x).canonicallyOrdered()
        XCTAssertEqual(r.labels, [1, 1, 1, 2, 2, 0, 0, 0, 0])
        XCTAssertEqual(r.centroids.values, [20.75, 0.5, 10.25])
        XCTAssertEqual(r.canonicallyOrdered(), r)
    }

    func testSameClusteringRule() {
        XCTAssertTrue(KMeans.isSameClustering([0, 0, 1], [1, 1, 0], k: 2))
        XCTAssertFalse(KMeans.isSameClustering([0, 0, 1], [1, 0, 0], k: 2))
    }

    func testErrors() {
        XCTAssertThrowsError(try KMeans(clusterCount: 8).fit(Matrix(rows: [[1], [2], [3]]))) {
            XCTAssertEqual($0 as? EngineError, .tooFewSamples(n: 3, k: 8))
            XCTAssertEqual("\($0)", "n_samples=3 should be >= n_clusters=8")
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 0).fit(twoSquares)) {
            XCTAssertEqual("\($0)", "n_clusters=0 should be >= 1")
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 2, nInit: 0).fit(twoSquares)) {
            XCTAssertEqual("\($0)", "n_init=0 should be >= 1")
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 2, tol: -1).fit(twoSquares)) {
            XCTAssertEqual("\($0)", "tol=-1.0 should be finite and >= 0")
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(Matrix(rows: 0, columns: 2, values: []))) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(Matrix(rows: [[1, .nan]]))) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 0, column: 1))
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 2).fit(twoSquares, initialCentroids: Matrix(rows: [[0, 0]]))) {
            XCTAssertEqual("\($0)", "initial_centroids has shape (1, 2); expected (2, 2)")
        }
    }
}
