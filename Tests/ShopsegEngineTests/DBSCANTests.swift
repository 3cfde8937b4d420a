import XCTest
@testable import ShopsegEngine

/// One data set with several scikit-learn `DBSCAN` runs (Tests/FixtureGenerators/make_dbscan_fixtures.py).
private struct DBSCANFixture: Decodable {
    struct Run: Decodable {
        let eps: Double
        let minSamples: Int
        let labels: [Int]
        let coreSampleIndices: [Int]
        let nClusters: Int
        let nNoise: Int
        let nBorder: Int
        let nContestedBorder: Int
    }
    let name: String
    let rows: Int, columns: Int
    let x: [Double]
    let runs: [Run]
    let newRows: Int
    let newX: [Double]
    let newLabels: [Int]

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
    var newMatrix: Matrix { Matrix(rows: newRows, columns: columns, values: newX) }
}

final class DBSCANTests: XCTestCase {
    private static let fixtureNames = ["blobs_2d", "moons_2d", "blobs_3d", "border_2d", "blobs_8d", "blobs_20d"]

    // MARK: - Hand-worked cases

    func testTwoGroupsAndAnOutlierIn1D() throws {
        let x = Matrix(rows: [[0], [1], [2], [10], [11], [12], [50]])
        let r = try DBSCAN(eps: 1.5, minSamples: 2).fit(x)
        XCTAssertEqual(r.labels, [0, 0, 0, 1, 1, 1, -1])
        XCTAssertEqual(r.coreSampleIndices, [0, 1, 2, 3, 4, 5])
        XCTAssertEqual(r.clusterCount, 2)
        XCTAssertEqual(r.noiseCount, 1)
        XCTAssertEqual(r.warnings, [])
        XCTAssertEqual(r.model.components, Matrix(rows: [[0], [1], [2], [10], [11], [12]]))
        XCTAssertEqual(r.model.componentLabels, [0, 0, 0, 1, 1, 1])
    }

    func testNeighbourhoodIncludesPointsExactlyAtEps() throws {
        let x = Matrix(rows: [[0], [1], [2]])
        // Distances 1 are ≤ eps = 1: each row has itself and a neighbour, all core.
        XCTAssertEqual(try DBSCAN(eps: 1, minSamples: 2).fit(x).labels, [0, 0, 0])
        // The middle row has 3 within eps; the ends 2 and are border rows.
        let r = try DBSCAN(eps: 1, minSamples: 3).fit(x)
        XCTAssertEqual(r.labels, [0, 0, 0])
        XCTAssertEqual(r.coreSampleIndices, [1])
        XCTAssertEqual(try DBSCAN(eps: 0.999, minSamples: 2).fit(x).labels, [-1, -1, -1])
    }

    /// Cluster A {0, .2, .4, .6} has one core row (0.6, reaching 1.5); cluster B
    /// {2.2, 2.4, 2.6, 2.8} has core rows 2.2 and 2.4. Row 1.5 has 4 < 5 rows within
    /// eps = 1, so it is a border row reachable from both, nearer to B (0.7 vs 0.9).
    /// scikit-learn gives it to the cluster expanded first: the one whose core rows
    /// come first in row order, whichever is nearer.
    func testContestedBorderRowGoesToTheClusterExpandedFirst() throws {
        let a: [[Double]] = [[0], [0.2], [0.4], [0.6]], b: [[Double]] = [[2.2], [2.4], [2.6], [2.8]]
        let dbscan = DBSCAN(eps: 1, minSamples: 5)
        let aFirst = try dbscan.fit(Matrix(rows: a + b + [[1.5]]))
        XCTAssertEqual(aFirst.labels, [0, 0, 0, 0, 1, 1, 1, 1, 0])
        XCTAssertEqual(aFirst.coreSampleIndices, [3, 4, 5])
        let bFirst = try dbscan.fit(Matrix(rows: b + a + [[1.5]]))
        XCTAssertEqual(bFirst.labels, [0, 0, 0, 0, 1, 1, 1, 1, 0])
        XCTAssertEqual(bFirst.coreSampleIndices, [0, 1, 7])
        // A new row at 1.5 takes the nearest core sample's cluster (B: 2.2).
        XCTAssertEqual(try aFirst.model.predict(Matrix(rows: [[1.5], [5.0], [-0.4], [-0.41]])), [1, -1, 0, -1])
    }

    func testMinSamplesOneMakesEveryRowCore() throws {
        let x = Matrix(rows: [[5], [0], [5.5], [20]])
        let r = try DBSCAN(eps: 1, minSamples: 1).fit(x)
        XCTAssertEqual(r.labels, [0, 1, 0, 2])
        XCTAssertEqual(r.coreSampleIndices, [0, 1, 2, 3])
        XCTAssertEqual(r.noiseCount, 0)
    }

    func testAllNoiseIsAWarning() throws {
        let x = Matrix(rows: [[0, 0], [3, 0], [0, 3]])
        let r = try DBSCAN(eps: 1, minSamples: 2).fit(x)
        XCTAssertEqual(r.labels, [-1, -1, -1])
        XCTAssertEqual(r.clusterCount, 0)
        XCTAssertEqual(r.noiseCount, 3)
        XCTAssertEqual(r.coreSampleIndices, [])
        XCTAssertEqual(r.model.components.rows, 0)
        XCTAssertEqual(r.model.components.columns, 2)
        XCTAssertEqual(r.warnings.count, 1)
        XCTAssertTrue(r.warnings[0].hasPrefix("all samples are noise"))
        XCTAssertEqual(try r.model.predict(Matrix(rows: [[0, 0]])), [-1])
    }

    func testSingleClusterWithoutNoiseIsAWarning() throws {
        let r = try DBSCAN(eps: 100, minSamples: 2).fit(Matrix(rows: [[0], [1], [7]]))
        XCTAssertEqual(r.labels, [0, 0, 0])
        XCTAssertEqual(r.warnings.count, 1)
    }

    func testDuplicatePoints() throws {
        // 60 copies of one row (more than a k-d tree leaf) plus 4 copies of another
        // and a far row: copies are at distance 0, so they count for each other.
        let rows = [[Double]](repeating: [1, 1], count: 60) + [[Double]](repeating: [9, 9], count: 4) + [[30, 30]]
        let r = try DBSCAN(eps: 0.5, minSamples: 5).fit(Matrix(rows: rows))
        XCTAssertEqual(r.labels, [Int](repeating: 0, count: 60) + [-1, -1, -1, -1, -1])
        let r4 = try DBSCAN(eps: 0.5, minSamples: 4).fit(Matrix(rows: rows))
        XCTAssertEqual(r4.labels, [Int](repeating: 0, count: 60) + [1, 1, 1, 1, -1])
        XCTAssertEqual(r4.coreSampleIndices, Array(0..<64))
    }

    // MARK: - Errors

    func testInvalidInputsThrow() {
        let x = Matrix(rows: [[0, 0], [1, 1]])
        for eps in [0.0, -1.0, .nan, .infinity] {
            XCTAssertThrowsError(try DBSCAN(eps: eps).fit(x)) { error in
                guard case EngineError.invalidParameter(name: "eps", _, _) = error else {
                    return XCTFail("\(error)")
                }
            }
        }
        XCTAssertThrowsError(try DBSCAN(eps: 1, minSamples: 0).fit(x)) { error in
            XCTAssertEqual(error as? EngineError, .invalidParameter(name: "min_samples", value: "0", rule: ">= 1"))
            XCTAssertEqual("\(error)", "min_samples=0 should be >= 1")
        }
        XCTAssertThrowsError(try DBSCAN(eps: 1).fit(Matrix(rows: 0, columns: 2, values: []))) { error in
            XCTAssertEqual(error as? EngineError, .emptyMatrix)
        }
        XCTAssertThrowsError(try DBSCAN(eps: 1).fit(Matrix(rows: 3, columns: 0, values: []))) { error in
            XCTAssertEqual(error as? EngineError, .noFeatures(samples: 3))
        }
        XCTAssertThrowsError(try DBSCAN(eps: 1).fit(Matrix(rows: [[0, 0], [1, .nan]]))) { error in
            XCTAssertEqual(error as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 1, column: 1))
        }
    }

    func testModelValidation() throws {
        let r = try DBSCAN(eps: 1.5, minSamples: 2).fit(Matrix(rows: [[0, 0], [1, 0], [9, 9]]))
        XCTAssertThrowsError(try r.model.predict(Matrix(rows: [[0, 0, 0]]))) { error in
            guard case EngineError.shapeMismatch(name: "X", _, _, _, _) = error else { return XCTFail("\(error)") }
        }
        XCTAssertThrowsError(try r.model.predict(Matrix(rows: [[0, .infinity]])))
        XCTAssertEqual(try r.model.predict(Matrix(rows: 0, columns: 2, values: [])), [])
        let rebuilt = try DBSCANModel(eps: r.model.eps, components: r.model.components,
                                      componentLabels: r.model.componentLabels)
        XCTAssertEqual(rebuilt, r.model)
        XCTAssertThrowsError(try DBSCANModel(eps: 0, components: r.model.components, componentLabels: [0, 0]))
        XCTAssertThrowsError(try DBSCANModel(eps: 1, components: r.model.components, componentLabels: [0]))
        XCTAssertThrowsError(try DBSCANModel(eps: 1, components: r.model.components, componentLabels: [0, -1]))
    }

    // MARK: - scikit-learn parity

    func testLabelsAndCoreSamplesEqualScikitLearn() throws {
        var contested = 0, border = 0, runs = 0
        for name in Self.fixtureNames {
            let f = try EngineFixtures.load("dbscan_\(name)", as: DBSCANFixture.self)
            for run in f.runs {
                for algorithm in DBSCAN.Algorithm.allCases {
                    let r = try DBSCAN(eps: run.eps, minSamples: run.minSamples, algorithm: algorithm).fit(f.matrix)
                    let tag = "\(name) eps=\(run.eps) min_samples=\(run.minSamples) \(algorithm)"
                    // Same numbering as scikit-learn, not only the same partition.
                    XCTAssertEqual(r.labels, run.labels, tag)
                    XCTAssertEqual(r.coreSampleIndices, run.coreSampleIndices, tag)
                    XCTAssertEqual(r.clusterCount, run.nClusters, tag)
                    XCTAssertEqual(r.noiseCount, run.nNoise, tag)
                }
                contested += run.nContestedBorder
                border += run.nBorder
                runs += 1
            }
        }
        // The fixtures exercise what they claim to.
        XCTAssertGreaterThanOrEqual(runs, 19)
        XCTAssertGreaterThan(border, 100)
        XCTAssertGreaterThanOrEqual(contested, 4)
    }

    func testPredictFollowsNearestCoreRule() throws {
        for name in Self.fixtureNames {
            let f = try EngineFixtures.load("dbscan_\(name)", as: DBSCANFixture.self)
            let run = f.runs[0]
            let r = try DBSCAN(eps: run.eps, minSamples: run.minSamples).fit(f.matrix)
            XCTAssertEqual(try r.model.predict(f.newMatrix), f.newLabels, name)
            // A fitted core row is its own nearest core sample.
            let cores = Matrix(rows: run.coreSampleIndices.map { f.matrix.row($0) })
            XCTAssertEqual(try r.model.predict(cores), run.coreSampleIndices.map { run.labels[$0] }, name)
        }
    }

    // MARK: - Against a direct implementation of scikit-learn's algorithm

    /// scikit-learn's `fit` + `dbscan_inner`, written out directly: all
    /// neighbourhoods by brute force, then depth-first expansion in row order.
    private func referenceDBSCAN(_ x: Matrix, eps: Double, minSamples: Int) -> (labels: [Int], core: [Int]) {
        let n = x.rows
        let r2 = eps * eps
        let d = x.columns, v = x.values
        let neighbourhoods: [[Int]] = (0..<n).map { i in
            (0..<n).filter { j in
                var s = 0.0
                for k in 0..<d { let t = v[i * d + k] - v[j * d + k]; s += t * t }
                return s <= r2
            }
        }
        let isCore = neighbourhoods.map { $0.count >= minSamples }
        var labels = [Int](repeating: -1, count: n)
        var next = 0
        for start in 0..<n where labels[start] == -1 && isCore[start] {
            var stack: [Int] = []
            var i = start
            while true {
                if labels[i] == -1 {
                    labels[i] = next
                    if isCore[i] { stack.append(contentsOf: neighbourhoods[i].filter { labels[$0] == -1 }) }
                }
                guard let top = stack.popLast() else { break }
                i = top
            }
            next += 1
        }
        return (labels, (0..<n).filter { isCore[$0] })
    }

    func testEqualsDirectAlgorithmOnGridDataWithTiesAndDuplicates() throws {
        // Values on a 0.5 grid: many duplicate rows and distances exactly eps.
        var rng = Xoshiro256StarStar(seed: 99)
        for (d, n) in [(1, 150), (2, 250), (3, 250), (17, 100)] {
            let values = (0..<(n * d)).map { _ in (rng.uniform() * (d == 17 ? 4 : 16)).rounded() / 2 }
            let x = Matrix(rows: n, columns: d, values: values)
            for (eps, minSamples) in [(0.5, 3), (1.0, 5), (1.5, 8), (2.0, 1), (0.5, 1)] {
                let expected = referenceDBSCAN(x, eps: eps, minSamples: minSamples)
                for algorithm in DBSCAN.Algorithm.allCases {
                    let r = try DBSCAN(eps: eps, minSamples: minSamples, algorithm: algorithm).fit(x)
                    XCTAssertEqual(r.labels, expected.labels, "d=\(d) eps=\(eps) min_samples=\(minSamples)")
                    XCTAssertEqual(r.coreSampleIndices, expected.core)
                }
            }
        }
    }

    func testTreeAndBruteForceAgreeOverSeveralWaves() throws {
        // One worker: waves of 2 chunks (1 024 rows), so 1 200 rows take 2 waves and
        // the k-d tree's component tags and compact-node shortcuts are exercised.
        var rng = Xoshiro256StarStar(seed: 17)
        let n = 1200
        let values = (0..<(n * 2)).map { i -> Double in
            Double((i / 2) % 4) * 3 + (rng.uniform() + rng.uniform() - 1) * 1.2
        }
        let x = Matrix(rows: n, columns: 2, values: values)
        for (eps, minSamples) in [(0.05, 4), (0.2, 12)] {
            var tree = DBSCAN(eps: eps, minSamples: minSamples, algorithm: .kdTree)
            tree.workerCount = 1
            var brute = tree
            brute.algorithm = .brute
            let a = try tree.fit(x), b = try brute.fit(x)
            XCTAssertEqual(a, b, "eps=\(eps)")
            XCTAssertGreaterThan(a.clusterCount, 0)
        }
    }

    func testSameResultWhateverTheThreadCount() throws {
        // Enough rows for several chunks and waves of the union–find pass.
        var rng = Xoshiro256StarStar(seed: 5)
        let n = 6000
        let values = (0..<(n * 2)).map { i -> Double in
            let centre = Double((i / 2) % 5) * 4
            return centre + (rng.uniform() + rng.uniform() + rng.uniform() - 1.5)
        }
        let x = Matrix(rows: n, columns: 2, values: values)
        var one = DBSCAN(eps: 0.12, minSamples: 6)
        one.workerCount = 1
        var three = one
        three.workerCount = 3
        let a = try one.fit(x), b = try three.fit(x)
        XCTAssertEqual(a, b)
        XCTAssertGreaterThan(a.clusterCount, 1)
        XCTAssertGreaterThan(a.noiseCount, 0)
    }
}
