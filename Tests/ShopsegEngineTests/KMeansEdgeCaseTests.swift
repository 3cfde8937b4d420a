import XCTest
@testable import ShopsegEngine

/// k-means checked against the published algorithm and scikit-learn's choices,
/// and its defined behaviour on degenerate input.
final class KMeansEdgeCaseTests: XCTestCase {
    // MARK: the algorithm's parameters

    func testGreedyKMeansPlusPlusTrialsAreTwoPlusFloorLnK() {
        XCTAssertEqual([1, 2, 3, 7, 8, 20, 21, 55].map { KMeansPlusPlus.trialCount(k: $0) },
                       [2, 2, 3, 3, 4, 4, 5, 6])   // ln 3 = 1.10, ln 8 = 2.08, ln 21 = 3.04, ln 55 = 4.01
    }

    func testKMeansPlusPlusDrawsOneIndexThenTrialsPerCentre() {
        // The seeding consumes exactly 1 + (k − 1)·(2 + ⌊ln k⌋) draws of the generator.
        var g = Xoshiro256StarStar(seed: 3)
        let x = Matrix(rows: 200, columns: 2, values: (0..<400).map { _ in g.uniform() })
        let data = CenteredData(x, tol: 0)
        for k in [1, 2, 8, 12] {
            var rng = Xoshiro256StarStar(seed: 99)
            _ = KMeansPlusPlus.initialCentres(data, k: k, rng: &rng, workers: 2)
            var reference = Xoshiro256StarStar(seed: 99)
            for _ in 0..<(1 + (k - 1) * KMeansPlusPlus.trialCount(k: k)) { _ = reference.next() }
            XCTAssertEqual(rng.next(), reference.next(), "k=\(k)")
        }
    }

    func testToleranceIsRelativeToMeanFeatureVariance() {
        // Column variances (population) 1 and 4: mean 2.5, so tol 1e-4 → 2.5e-4.
        let data = CenteredData(Matrix(rows: [[0, 0], [2, 4]]), tol: 1e-4)
        XCTAssertEqual(data.absoluteTolerance, 2.5e-4, accuracy: 1e-18)
        XCTAssertEqual(CenteredData(Matrix(rows: [[0, 0], [2, 4]]), tol: 0).absoluteTolerance, 0)
        // Scaling X by 10 scales the tolerance by 100: the stopping rule is unit-free.
        XCTAssertEqual(CenteredData(Matrix(rows: [[0, 0], [20, 40]]), tol: 1e-4).absoluteTolerance, 2.5e-2,
                       accuracy: 1e-16)
    }

    // MARK: empty-cluster relocation against scikit-learn

    private func checkRelocation(_ name: String) throws {
        let f = try KMeansFixtures.lloyd(name)
        XCTAssertFalse(f.emptyAtStart.isEmpty)
        // The case really starts with an empty cluster.
        let initial = f.initialCentroids
        var counts = [Int](repeating: 0, count: f.k)
        for i in 0..<f.rows {
            let d2 = (0..<f.k).map { j in (0..<f.columns).reduce(0.0) { $0 + pow(f.matrix[i, $1] - initial[j, $1], 2) } }
            counts[d2.firstIndex(of: d2.min()!)!] += 1
        }
        XCTAssertEqual((0..<f.k).filter { counts[$0] == 0 }, f.emptyAtStart, name)
        let r = try KMeans(clusterCount: f.k, maxIter: f.maxIter, tol: f.tol).fit(f.matrix, initialCentroids: initial)
        XCTAssertEqual(r.labels, f.labels, name)
        XCTAssertEqual(r.iterationCount, f.iterationCount, name)
        for (a, b) in zip(r.centroids.values, f.centres) {
            XCTAssertEqual(a, b, accuracy: 1e-9 * max(1, abs(b)), name)
        }
        XCTAssertEqual(r.inertia, f.inertia, accuracy: 1e-9 * f.inertia, name)
        XCTAssertEqual(Set(r.labels).count, f.k, "\(name): the relocated cluster is used")
    }

    func testRelocationFarCentreMatchesSklearn() throws { try checkRelocation("emptyCluster40x2") }
    func testRelocationOnBlobsMatchesSklearn() throws { try checkRelocation("relocation90x2") }
    func testTwoEmptyClustersTakeTheFarthestRowsInOrder() throws { try checkRelocation("twoEmpty90x2") }

    // MARK: degenerate input

    func testMoreClustersThanRowsIsAnError() {
        XCTAssertThrowsError(try KMeans(clusterCount: 5).fit(Matrix(rows: [[0], [1], [2], [3]]))) {
            XCTAssertEqual($0 as? EngineError, .tooFewSamples(n: 4, k: 5))
            XCTAssertEqual("\($0)", "n_samples=4 should be >= n_clusters=5")
        }
    }

    func testNoRowsOrNoColumnsIsAnError() {
        XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(Matrix(rows: 0, columns: 3, values: []))) {
            XCTAssertEqual("\($0)", "X is empty: n_samples=0; at least 1 sample is required")
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(Matrix(rows: 2, columns: 0, values: []))) {
            XCTAssertEqual($0 as? EngineError, .noFeatures(samples: 2))
        }
    }

    func testSingleClusterIsTheMeanAfterOneStep() throws {
        let x = Matrix(rows: [[1, 0], [2, 2], [6, 4]])
        let r = try KMeans(clusterCount: 1, nInit: 3, seed: 5).fit(x)
        XCTAssertEqual(r.labels, [0, 0, 0])
        XCTAssertEqual(r.centroids.values[0], 3, accuracy: 1e-12)
        XCTAssertEqual(r.centroids.values[1], 2, accuracy: 1e-12)
        XCTAssertEqual(r.inertia, (4 + 4) + (1 + 0) + (9 + 4), accuracy: 1e-12)
        XCTAssertTrue(r.converged)
        XCTAssertEqual(r.iterationCount, 2)   // step 1 moves to the mean; step 2 sees the same labels
        XCTAssertEqual(r.warnings, [])
    }

    func testFewerDistinctPointsThanClusters() throws {
        // Two distinct points, k = 3. k-means++: after two centres the potential is 0, so
        // the third draw targets 0 and takes row 0 (no division anywhere); Lloyd gives the
        // duplicate centre no rows, relocation finds no row away from its centre (all
        // distances 0) and leaves it, and the weightless centre is placed on the heaviest
        // cluster's centre. Result: 2 clusters used, inertia 0, two warnings (scikit-learn
        // raises a ConvergenceWarning "Number of distinct clusters (2) found smaller than
        // n_clusters (3)").
        let x = Matrix(rows: [[1, 1], [1, 1], [2, 2], [2, 2], [1, 1]])
        for seed: UInt64 in 0..<4 {
            let r = try KMeans(clusterCount: 3, nInit: 2, seed: seed).fit(x)
            XCTAssertEqual(r.inertia, 0)
            XCTAssertTrue(r.centroids.values.allSatisfy(\.isFinite))
            XCTAssertTrue(samePartition(r.labels, [0, 0, 1, 1, 0]))
            XCTAssertEqual(r.warnings, ["n_distinct_points=2 < n_clusters=3",
                                        "n_distinct_clusters=2 < n_clusters=3 (possibly due to duplicate points)"])
            let used = Set(r.labels)
            let unused = (0..<3).first { !used.contains($0) }!
            XCTAssertEqual(r.centroids.row(unused), [1, 1], "the spare centre sits on the heaviest cluster")
        }
    }

    func testAllRowsIdentical() throws {
        let x = Matrix(rows: [[Double]](repeating: [7, -2], count: 10))
        let one = try KMeans(clusterCount: 1).fit(x)
        XCTAssertEqual(one.centroids.values, [7, -2])
        XCTAssertEqual(one.inertia, 0)
        XCTAssertEqual(one.warnings, [])
        let r = try KMeans(clusterCount: 3, seed: 1).fit(x)
        XCTAssertEqual(r.labels, [Int](repeating: 0, count: 10))
        XCTAssertEqual(r.centroids.values, [7, -2, 7, -2, 7, -2])
        XCTAssertEqual(r.inertia, 0)
        XCTAssertTrue(r.converged)
        XCTAssertEqual(r.warnings, ["n_distinct_points=1 < n_clusters=3",
                                    "n_distinct_clusters=1 < n_clusters=3 (possibly due to duplicate points)"])
        // Mini-batch on the same data: also finite, inertia 0.
        let mb = try MiniBatchKMeans(clusterCount: 3, seed: 1).fit(x)
        XCTAssertEqual(mb.inertia, 0)
        XCTAssertTrue(mb.centroids.values.allSatisfy { $0 == 7 || $0 == -2 })
    }

    func testNonFiniteInputIsAnError() {
        for bad in [Double.nan, .infinity, -.infinity] {
            XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(Matrix(rows: [[0, 1], [2, bad], [bad, 3]]))) {
                XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 2, row: 1, column: 1))
                XCTAssertEqual("\($0)", "X contains 2 non-finite value(s) (NaN or ±inf), first at row=1, column=1")
            }
        }
        XCTAssertThrowsError(try KMeans(clusterCount: 1).fit(Matrix(rows: [[0], [1]]),
                                                              initialCentroids: Matrix(rows: [[.nan]]))) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "initial_centroids", count: 1, row: 0, column: 0))
        }
    }

    func testWorkerCountIsUnobservableWithRelocation() throws {
        let f = try KMeansFixtures.lloyd("relocation90x2")
        let results = try [1, 2, 4].map { workers -> KMeansResult in
            var km = KMeans(clusterCount: f.k)
            km.workerCount = workers
            return try km.fit(f.matrix, initialCentroids: f.initialCentroids)
        }
        XCTAssertEqual(results[1], results[0])
        XCTAssertEqual(results[2], results[0])
    }
}
