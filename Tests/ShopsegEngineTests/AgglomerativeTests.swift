import XCTest
@testable import ShopsegEngine

/// One `AgglomerativeClustering` fit and `scipy.cluster.hierarchy.linkage` tree
/// recorded by `make_agglomerative_fixtures.py`.
private struct AgglomerativeCase: Decodable {
    let name: String
    let linkage: String
    let rows: Int, columns: Int
    let x: [Double]
    let nClusters: Int?
    let distanceThreshold: Double?
    let labels: [Int]
    let nClustersFitted: Int
    let linkageMatrix: [Double]

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
}

private struct AgglomerativeFixture: Decodable {
    let cases: [AgglomerativeCase]
}

/// A `scipy.cluster.hierarchy.linkage` tree on data full of ties.
private struct TiedLinkageCase: Decodable {
    let name: String
    let linkage: String
    let rows: Int, columns: Int
    let x: [Double]
    let linkageMatrix: [Double]
}

private struct TiedLinkageFixture: Decodable {
    let cases: [TiedLinkageCase]
}

final class AgglomerativeTests: XCTestCase {
    private func fit(_ rows: [[Double]], _ k: Int?, _ linkage: Agglomerative.Linkage,
                     threshold: Double? = nil) throws -> AgglomerativeResult {
        try Agglomerative(clusterCount: k, distanceThreshold: threshold, linkage: linkage).fit(Matrix(rows: rows))
    }

    private func merges(_ r: AgglomerativeResult) -> [[Double]] {
        r.tree.merges.map { [Double($0.left), Double($0.right), $0.distance, Double($0.size)] }
    }

    private func blobs(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var g = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { i in
            g.uniform() + Double((i / columns) % 4) * 3
        })
    }

    // MARK: hand-worked trees

    func testWardOnFourPointsMatchesHandComputedHeights() throws {
        // Pairs {0,1} (distance 1) and {2,3} (distance 2); then centroids (0, .5) and
        // (10, 11), sizes 2 and 2: sqrt(2·2·2/4 · (10² + 10.5²)) = sqrt(420.5).
        let r = try fit([[0, 0], [0, 1], [10, 10], [10, 12]], 2, .ward)
        XCTAssertEqual(merges(r), [[0, 1, 1, 2], [2, 3, 2, 2], [4, 5, 420.5.squareRoot(), 4]])
        XCTAssertEqual(r.labels, [0, 0, 1, 1])
        XCTAssertEqual(r.centres, Matrix(rows: [[0, 0.5], [10, 11]]))
        XCTAssertEqual(r.clusterSizes, [2, 2])
    }

    func testLinkagesOnALineMatchHandComputedTrees() throws {
        let line: [[Double]] = [[0], [1], [3], [7]]
        // complete: {0,1}@1, {01}+2 @ max(3, 2) = 3, {012}+3 @ 7.
        XCTAssertEqual(merges(try fit(line, 1, .complete)), [[0, 1, 1, 2], [2, 4, 3, 3], [3, 5, 7, 4]])
        // average: {01}+2 @ (3 + 2)/2, then {012}+3 @ (7 + 6 + 4)/3.
        XCTAssertEqual(merges(try fit(line, 1, .average)), [[0, 1, 1, 2], [2, 4, 2.5, 3], [3, 5, 17.0 / 3, 4]])
        // single: gaps 1, 2, 4.
        XCTAssertEqual(merges(try fit(line, 1, .single)), [[0, 1, 1, 2], [2, 4, 2, 3], [3, 5, 4, 4]])
        // Ward on a line: {0,1}@1; {01}+2 @ sqrt(2·2/3)·2.5; then sqrt(2·3/4)·(7 − 4/3).
        let ward = merges(try fit(line, 1, .ward))
        XCTAssertEqual(ward[1][2], (4.0 / 3).squareRoot() * 2.5, accuracy: 1e-12)
        XCTAssertEqual(ward[2][2], 1.5.squareRoot() * (7 - 4.0 / 3), accuracy: 1e-12)
        XCTAssertEqual(ward.map { Array($0[0...1]) + [$0[3]] }, [[0, 1, 2], [2, 4, 3], [3, 5, 4]])
    }

    func testCutAtEachClusterCount() throws {
        let line: [[Double]] = [[0], [1], [3], [7]]
        XCTAssertEqual(try fit(line, 1, .single).labels, [0, 0, 0, 0])
        XCTAssertEqual(try fit(line, 2, .single).labels, [0, 0, 0, 1])
        XCTAssertEqual(try fit(line, 3, .single).labels, [0, 0, 1, 2])
        XCTAssertEqual(try fit(line, 4, .single).labels, [0, 1, 2, 3])
        // Labels follow the lowest sample index, whatever the input order.
        XCTAssertEqual(try fit([[7], [0], [3], [1]], 2, .single).labels, [0, 1, 1, 1])
    }

    func testDistanceThresholdKeepsOnlyMergesStrictlyBelowIt() throws {
        // scikit-learn: n_clusters_ = 1 + count(distances_ >= threshold); heights 1, 2, 4.
        let line: [[Double]] = [[0], [1], [3], [7]]
        let expected: [(Double, Int)] = [(0, 4), (1, 4), (1.5, 3), (2, 3), (2.0000001, 2), (4, 2), (4.5, 1)]
        for (t, k) in expected {
            let r = try fit(line, nil, .single, threshold: t)
            XCTAssertEqual(r.clusterCount, k, "threshold \(t)")
            XCTAssertEqual(Set(r.labels).count, k)
        }
        XCTAssertEqual(try fit(line, nil, .single, threshold: 2.5).labels, [0, 0, 0, 1])
    }

    func testLinkageTreeMatrixAndCuts() throws {
        let tree = try fit([[0], [1], [3], [7]], 1, .single).tree
        XCTAssertEqual(tree.leafCount, 4)
        XCTAssertEqual(tree.matrix, Matrix(rows: [[0, 1, 1, 2], [2, 4, 2, 3], [3, 5, 4, 4]]))
        XCTAssertEqual(tree.distances, [1, 2, 4])
        XCTAssertEqual([0, 1, 1.5, 4, 4.1].map { tree.clusterCount(distanceThreshold: $0) }, [4, 4, 3, 2, 1])
        // Raw merges named by any member leaf are sorted stably and renamed.
        let raw = LinkageTree.fromRawMerges([(3, 2, 4), (1, 0, 1), (2, 1, 2)], leafCount: 4, leafSizes: [1, 2, 1, 3])
        XCTAssertEqual(raw.merges, [.init(left: 0, right: 1, distance: 1, size: 3),
                                    .init(left: 2, right: 4, distance: 2, size: 4),
                                    .init(left: 3, right: 5, distance: 4, size: 7)])
        XCTAssertEqual(raw.labels(clusterCount: 2), [0, 0, 0, 1])
    }

    // MARK: parity with scikit-learn and SciPy

    private func checkParity(_ fixture: String) throws {
        let fixture = try EngineFixtures.load(fixture, as: AgglomerativeFixture.self)
        XCTAssertFalse(fixture.cases.isEmpty)
        for c in fixture.cases {
            let linkage = try XCTUnwrap(Agglomerative.Linkage(rawValue: c.linkage))
            let r = try Agglomerative(clusterCount: c.nClusters, distanceThreshold: c.distanceThreshold,
                                      linkage: linkage).fit(c.matrix)
            XCTAssertTrue(samePartition(r.labels, c.labels), c.name)
            XCTAssertEqual(r.clusterCount, c.nClustersFitted, c.name)
            XCTAssertEqual(r.tree.merges.count, c.rows - 1, c.name)
            for (i, m) in r.tree.merges.enumerated() {
                let z = Array(c.linkageMatrix[(4 * i)..<(4 * i + 4)])
                XCTAssertEqual(Set([m.left, m.right]), Set([Int(z[0]), Int(z[1])]), "\(c.name) merge \(i)")
                XCTAssertLessThan(m.left, m.right)
                XCTAssertTrue(agrees(m.distance, z[2], rel: 1e-9), "\(c.name) merge \(i): \(m.distance) vs \(z[2])")
                XCTAssertEqual(m.size, Int(z[3]), "\(c.name) merge \(i)")
            }
            // Centres are the means of the members.
            for l in 0..<r.clusterCount {
                let members = r.labels.indices.filter { r.labels[$0] == l }
                XCTAssertEqual(r.clusterSizes[l], members.count)
                for j in 0..<c.columns {
                    let mean = members.map { c.x[$0 * c.columns + j] }.reduce(0, +) / Double(members.count)
                    XCTAssertEqual(r.centres[l, j], mean, accuracy: 1e-12)
                }
            }
        }
    }

    func testWardMatchesScikitLearnAndSciPy() throws { try checkParity("agglomerative_ward") }
    func testCompleteMatchesScikitLearnAndSciPy() throws { try checkParity("agglomerative_complete") }
    func testAverageMatchesScikitLearnAndSciPy() throws { try checkParity("agglomerative_average") }
    func testSingleMatchesScikitLearnAndSciPy() throws { try checkParity("agglomerative_single") }
    func testDistanceThresholdMatchesScikitLearn() throws { try checkParity("agglomerative_threshold") }

    func testTiesAreBrokenAsSciPy() throws {
        // Integer grids: many equal distances and duplicates; complete, average and
        // single must give SciPy's tree exactly (ids, sizes; heights to rounding).
        let fixture = try EngineFixtures.load("agglomerative_ties", as: TiedLinkageFixture.self)
        XCTAssertEqual(fixture.cases.count, 9)
        for c in fixture.cases {
            let linkage = try XCTUnwrap(Agglomerative.Linkage(rawValue: c.linkage))
            let r = try Agglomerative(clusterCount: 1, linkage: linkage)
                .fit(Matrix(rows: c.rows, columns: c.columns, values: c.x))
            for (i, m) in r.tree.merges.enumerated() {
                let z = Array(c.linkageMatrix[(4 * i)..<(4 * i + 4)])
                XCTAssertEqual([m.left, m.right, m.size], [Int(z[0]), Int(z[1]), Int(z[3])], "\(c.name) merge \(i)")
                XCTAssertEqual(m.distance, z[2], accuracy: 1e-12, "\(c.name) merge \(i)")
            }
        }
    }

    func testWardMergesAreGreedyOptimalUnderTies() throws {
        // On integer grids (many exact ties) the tree may differ from SciPy's, but
        // every merge must join a pair of minimal Ward distance, checked exactly:
        // ward² = 2·‖n_B·S_A − n_A·S_B‖² / (n_A·n_B·(n_A + n_B)) for member sums S.
        var g = Xoshiro256StarStar(seed: 21)
        for trial in 0..<6 {
            let n = 10 + 4 * trial, d = 1 + trial % 2
            let x = (0..<(n * d)).map { _ in Int(g.next() % 4) }
            let r = try Agglomerative(clusterCount: 1).fit(Matrix(rows: n, columns: d, values: x.map(Double.init)))
            var members: [Int: [Int]] = [:]
            for i in 0..<n { members[i] = [i] }
            func ward(_ a: Int, _ b: Int) -> (num: Int, den: Int) {
                let ma = members[a]!, mb = members[b]!
                var num = 0
                for j in 0..<d {
                    let sa = ma.reduce(0) { $0 + x[$1 * d + j] }, sb = mb.reduce(0) { $0 + x[$1 * d + j] }
                    let t = mb.count * sa - ma.count * sb
                    num += t * t
                }
                return (2 * num, ma.count * mb.count * (ma.count + mb.count))
            }
            for (i, m) in r.tree.merges.enumerated() {
                let chosen = ward(m.left, m.right)
                XCTAssertEqual(m.distance * m.distance, Double(chosen.num) / Double(chosen.den), accuracy: 1e-9)
                let ids = members.keys.sorted()
                for (p, a) in ids.enumerated() {
                    for b in ids[(p + 1)...] {
                        let other = ward(a, b)
                        XCTAssertLessThanOrEqual(chosen.num * other.den, other.num * chosen.den,
                                                 "trial \(trial) merge \(i): (\(a), \(b)) is closer")
                    }
                }
                members[n + i] = members.removeValue(forKey: m.left)! + members.removeValue(forKey: m.right)!
            }
        }
    }

    // MARK: edge cases

    func testOneSample() throws {
        let r = try fit([[3, 4]], 1, .ward)
        XCTAssertEqual(r.labels, [0])
        XCTAssertEqual(r.tree.merges, [])
        XCTAssertEqual(r.centres, Matrix(rows: [[3, 4]]))
        XCTAssertEqual(try fit([[3, 4]], nil, .single, threshold: 1).labels, [0])
        XCTAssertThrowsError(try fit([[3, 4]], 2, .ward)) { XCTAssertEqual($0 as? EngineError, .tooFewSamples(n: 1, k: 2)) }
    }

    func testTwoSamples() throws {
        for linkage in Agglomerative.Linkage.allCases {
            let two = try fit([[0, 0], [3, 4]], 2, linkage)
            XCTAssertEqual(two.labels, [0, 1])
            XCTAssertEqual(merges(two), [[0, 1, 5, 2]], linkage.rawValue)
            XCTAssertEqual(try fit([[0, 0], [3, 4]], 1, linkage).labels, [0, 0])
        }
    }

    func testClusterCountAboveSamplesIsAnError() {
        XCTAssertThrowsError(try fit([[0], [1], [2]], 4, .average)) {
            XCTAssertEqual($0 as? EngineError, .tooFewSamples(n: 3, k: 4))
            XCTAssertEqual("\($0)", "n_samples=3 should be >= n_clusters=4")
        }
    }

    func testClusterCountEqualToSamplesGivesSingletons() throws {
        for linkage in Agglomerative.Linkage.allCases {
            let r = try fit([[5], [1], [2], [9], [7]], 5, linkage)
            XCTAssertEqual(r.labels, [0, 1, 2, 3, 4])
            XCTAssertEqual(r.centres, Matrix(rows: [[5], [1], [2], [9], [7]]))
        }
    }

    func testExactlyOneOfClusterCountAndThreshold() {
        let x = Matrix(rows: [[0], [1], [2]])
        XCTAssertThrowsError(try Agglomerative(clusterCount: 2, distanceThreshold: 1).fit(x)) {
            XCTAssertEqual($0 as? EngineError, .clusterCountXorDistanceThreshold(clusterCount: 2, distanceThreshold: 1))
            XCTAssertEqual("\($0)", "Exactly one of n_clusters and distance_threshold has to be set, and the other "
                           + "needs to be None (n_clusters=2, distance_threshold=1.0)")
        }
        XCTAssertThrowsError(try Agglomerative(clusterCount: nil).fit(x)) {
            XCTAssertEqual($0 as? EngineError, .clusterCountXorDistanceThreshold(clusterCount: nil, distanceThreshold: nil))
        }
    }

    func testInvalidSettings() {
        let x = Matrix(rows: [[0], [1], [2]])
        XCTAssertThrowsError(try Agglomerative(clusterCount: 0).fit(x)) {
            XCTAssertEqual($0 as? EngineError, .invalidParameter(name: "n_clusters", value: "0", rule: ">= 1"))
        }
        for t in [-1.0, .nan, .infinity] {
            XCTAssertThrowsError(try Agglomerative(clusterCount: nil, distanceThreshold: t).fit(x)) {
                guard case .invalidParameter(name: "distance_threshold", _, _)? = $0 as? EngineError else {
                    return XCTFail("\($0)")
                }
            }
        }
        XCTAssertThrowsError(try Agglomerative(microClusterCount: 1).fit(x))
    }

    func testEmptyAndNonFiniteInputAreErrors() {
        XCTAssertThrowsError(try Agglomerative().fit(Matrix(rows: 0, columns: 2, values: []))) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
        XCTAssertThrowsError(try Agglomerative().fit(Matrix(rows: 3, columns: 0, values: []))) {
            XCTAssertEqual($0 as? EngineError, .noFeatures(samples: 3))
        }
        for linkage in Agglomerative.Linkage.allCases {
            XCTAssertThrowsError(try fit([[0, 1], [2, .nan], [4, 5]], 2, linkage)) {
                XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 1, column: 1))
            }
        }
    }

    func testCondensedLinkagesRefuseTooManySamples() {
        let n = Agglomerative.maxCondensedSamples + 1
        let x = Matrix(rows: n, columns: 1, values: (0..<n).map(Double.init))
        for linkage in [Agglomerative.Linkage.complete, .average] {
            XCTAssertThrowsError(try Agglomerative(linkage: linkage).fit(x)) {
                XCTAssertEqual($0 as? EngineError,
                               .tooManySamplesForLinkage(linkage: linkage.rawValue, samples: n, limit: n - 1))
                XCTAssertTrue("\($0)".hasPrefix("linkage='\(linkage.rawValue)' keeps an n_samples x n_samples"))
            }
        }
    }

    func testDuplicatePointsMergeAtZero() throws {
        let x: [[Double]] = [[1, 1], [5, 5], [1, 1], [5, 5], [1, 1]]
        for linkage in Agglomerative.Linkage.allCases {
            let r = try fit(x, 2, linkage)
            XCTAssertEqual(r.labels, [0, 1, 0, 1, 0], linkage.rawValue)
            XCTAssertEqual(r.tree.distances.prefix(3), [0, 0, 0], linkage.rawValue)
            XCTAssertGreaterThan(r.tree.distances[3], 0)
            XCTAssertEqual(r.tree.merges.last?.size, 5)
            // All identical: every merge at 0; any cut is valid and a partition of 3.
            let same = try fit([[2], [2], [2], [2]], 3, linkage)
            XCTAssertEqual(same.tree.distances, [0, 0, 0])
            XCTAssertEqual(Set(same.labels).count, 3)
        }
    }

    // MARK: Ward internals, two-stage mode, determinism

    func testWeightedWardEqualsWardOnRepeatedPoints() {
        // A leaf of weight w behaves as w coincident points: after the zero-height
        // merges of the copies, the heights are the same.
        let points: [Double] = [0, 0, 4, 1, 1, 5, 9, 9]
        let weights: [Double] = [3, 1, 2, 1]
        var weighted = WardSpace(points: points, weights: weights, columns: 2, plan: .init(workers: 1))
        let a = NearestNeighbourChain.run(&weighted, clusterCount: 4).map(\.distance).sorted()
        var repeated: [Double] = []
        for (i, w) in weights.enumerated() {
            for _ in 0..<Int(w) { repeated += [points[2 * i], points[2 * i + 1]] }
        }
        var plain = WardSpace(points: repeated, weights: [Double](repeating: 1, count: 7), columns: 2, plan: .init(workers: 1))
        let b = NearestNeighbourChain.run(&plain, clusterCount: 7).map(\.distance).sorted().filter { $0 > 0 }
        XCTAssertEqual(a.count, b.count)
        for (u, v) in zip(a, b) { XCTAssertEqual(u, v, accuracy: 1e-12) }
    }

    func testTwoStageWardAboveTheThreshold() throws {
        let x = blobs(rows: 600, columns: 2, seed: 5)
        let settings = Agglomerative(clusterCount: 4, linkage: .ward, twoStageThreshold: 500, microClusterCount: 40, seed: 3)
        let r = try settings.fit(x)
        XCTAssertTrue(r.isTwoStage)
        XCTAssertEqual(r.microClusterCount, r.tree.leafCount)
        XCTAssertLessThanOrEqual(r.microClusterCount, 40)
        XCTAssertEqual(r.tree.merges.last?.size, 600)
        XCTAssertEqual(r.clusterCount, 4)
        XCTAssertEqual(r.labels.first, 0)
        XCTAssertEqual(r.warnings.count, 1)
        // Samples of one micro-cluster share a label.
        let micro = try XCTUnwrap(r.microClusterLabels)
        var labelOfMicro: [Int: Int] = [:]
        for (m, l) in zip(micro, r.labels) {
            XCTAssertEqual(labelOfMicro[m, default: l], l)
            labelOfMicro[m] = l
        }
        // The four well separated groups are found, as by direct Ward.
        var direct = settings
        direct.twoStageThreshold = 600
        let plain = try direct.fit(x)
        XCTAssertFalse(plain.isTwoStage)
        XCTAssertNil(plain.microClusterLabels)
        XCTAssertTrue(samePartition(r.labels, plain.labels))
        XCTAssertEqual(r.clusterSizes.reduce(0, +), 600)
        // Seeded: the same settings give the same result.
        XCTAssertEqual(try settings.fit(x), r)
        // More clusters than micro-clusters cannot be cut.
        var tooMany = settings
        tooMany.clusterCount = 41
        XCTAssertThrowsError(try tooMany.fit(x)) {
            XCTAssertEqual($0 as? EngineError, .invalidParameter(
                name: "n_clusters", value: "41", rule: "<= micro_cluster_count=40 in two-stage mode"))
        }
        // Duplicate rows: fewer distinct points than micro-clusters leave some empty.
        let few = Matrix(rows: 600, columns: 1, values: (0..<600).map { Double($0 % 7) })
        let dup = try Agglomerative(clusterCount: 7, twoStageThreshold: 500, microClusterCount: 40).fit(few)
        XCTAssertTrue(dup.isTwoStage)
        XCTAssertEqual(dup.microClusterCount, 7)
        XCTAssertEqual(dup.labels[0..<14], [0, 1, 2, 3, 4, 5, 6, 0, 1, 2, 3, 4, 5, 6])
        XCTAssertThrowsError(try Agglomerative(clusterCount: 8, twoStageThreshold: 500, microClusterCount: 40).fit(few)) {
            XCTAssertEqual($0 as? EngineError, .invalidParameter(
                name: "n_clusters", value: "8", rule: "<= n_micro_clusters=7 (non-empty) in two-stage mode"))
        }
    }

    func testWorkerCountIsUnobservable() throws {
        // A low parallel threshold, so small scans are split too.
        let x = blobs(rows: 300, columns: 2, seed: 9)
        for linkage in Agglomerative.Linkage.allCases {
            var results: [AgglomerativeResult] = []
            for workers in [1, 2, 3] {
                var a = Agglomerative(clusterCount: 5, linkage: linkage)
                a.workerCount = workers
                a.parallelThreshold = 16
                results.append(try a.fit(x))
            }
            for r in results.dropFirst() {
                XCTAssertEqual(r.labels, results[0].labels)
                XCTAssertEqual(r.tree.distances.map(\.bitPattern), results[0].tree.distances.map(\.bitPattern))
                XCTAssertEqual(r.tree, results[0].tree)
            }
        }
    }
}
