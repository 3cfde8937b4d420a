import XCTest
@testable import ShopsegEngine

private struct MiniBatchFile: Decodable {
    struct Case: Decodable {
        let name: String
        let k: Int, batchSize: Int
        let tol: Double
        let labels: [Int]
        let inertia: Double
        let nSteps: Int, iterationCount: Int
        let kmeansInertia: Double
    }
    let rows: Int, columns: Int
    let x: [Double]
    let cases: [Case]
    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
}

final class MiniBatchKMeansTests: XCTestCase {
    private func blobs(_ n: Int, seed: UInt64) -> Matrix {
        var g = Xoshiro256StarStar(seed: seed)
        let centres: [[Double]] = [[0, 0], [20, 0], [0, 20]]
        return Matrix(rows: (0..<n).map { i in centres[i % 3].map { $0 + g.uniform() } })
    }

    // MARK: scikit-learn parity (different random streams: same partition, inertia within 1%)

    func testMatchesSklearnOnSeparatedBlobs() throws {
        let file = try EngineFixtures.load("kmeans_minibatch", as: MiniBatchFile.self)
        XCTAssertEqual(file.cases.count, 3)
        for f in file.cases {
            for seed: UInt64 in [0, 1, 2] {
                let r = try MiniBatchKMeans(clusterCount: f.k, batchSize: f.batchSize, tol: f.tol, seed: seed)
                    .fit(file.matrix)
                XCTAssertTrue(samePartition(r.labels, f.labels), "\(f.name) seed \(seed): partition differs from sklearn")
                XCTAssertLessThanOrEqual(abs(r.inertia - f.inertia), 0.01 * f.inertia,
                                         "\(f.name) seed \(seed): inertia \(r.inertia) vs sklearn \(f.inertia)")
                // Mini-batch centres are close to, not at, the k-means optimum.
                XCTAssertGreaterThanOrEqual(r.inertia, f.kmeansInertia * (1 - 1e-12))
            }
        }
    }

    // MARK: hand-worked pieces

    func testPerCentreLearningRateUpdate() {
        var s = MiniBatchState(k: 2, d: 1, batchSize: 3, n: 10, reassignmentRatio: 0, maxNoImprovement: 10,
                               absoluteTolerance: 0)
        // First step, counts 0: each centre becomes the mean of its batch rows.
        var c = s.update(centres: [0, 10], batch: [1, 3, 11], labels: [0, 0, 1])
        XCTAssertEqual(c, [2, 11])
        XCTAssertEqual(s.counts, [2, 1])
        // Then (c·count + Σ rows) / (count + rows): (2·2 + 3·8) / 5 = 5.6; centre 1 without rows stays.
        c = s.update(centres: c, batch: [8, 8, 8], labels: [0, 0, 0])
        XCTAssertEqual(c[0], 5.6, accuracy: 1e-15)
        XCTAssertEqual(c[1], 11)
        XCTAssertEqual(s.counts, [5, 1])
    }

    func testRunningMeanOverSteps() {
        var s = MiniBatchState(k: 1, d: 1, batchSize: 2, n: 10, reassignmentRatio: 0, maxNoImprovement: 10,
                               absoluteTolerance: 0)
        var c = s.update(centres: [100], batch: [1, 3], labels: [0, 0])
        XCTAssertEqual(c, [2])
        c = s.update(centres: c, batch: [5, 7], labels: [0, 0])
        XCTAssertEqual(c, [4])                  // (2·2 + 12) / 4 = mean of 1, 3, 5, 7
        XCTAssertEqual(s.counts, [4])
    }

    func testLowCountCentreIsReassignedToABatchRow() {
        var s = MiniBatchState(k: 3, d: 1, batchSize: 4, n: 100, reassignmentRatio: 0.01, maxNoImprovement: 10,
                               absoluteTolerance: 0)
        XCTAssertTrue(s.dueForReassignment())   // counts are 0 at the start
        let batch: [Double] = [1, 2, 3, 50]
        var c = s.update(centres: [0, 100, -100], batch: batch, labels: [0, 0, 0, 1])
        XCTAssertEqual(s.counts, [3, 1, 0])
        var rng = Xoshiro256StarStar(seed: 1)
        s.reassignLowCounts(&c, batch: batch, rng: &rng)
        // Only centre 2 (count 0 < 0.01·3) moves, onto one of the batch rows; its count
        // becomes the smallest other count (1).
        XCTAssertEqual(c[0], 2)
        XCTAssertEqual(c[1], 50)
        XCTAssertTrue(batch.contains(c[2]))
        XCTAssertEqual(s.counts, [3, 1, 1])
        // After that, reassignment comes every 10·k = 30 rows: every 8th step of 4 rows.
        let due = (0..<16).map { _ in s.dueForReassignment() }
        XCTAssertEqual(due.filter { $0 }.count, 2)
        XCTAssertTrue(due[7])
    }

    func testSmoothedInertiaStopsAfterMaxNoImprovement() {
        var s = MiniBatchState(k: 1, d: 1, batchSize: 1, n: 1, reassignmentRatio: 0, maxNoImprovement: 2,
                               absoluteTolerance: 0)
        XCTAssertFalse(s.shouldStop(step: 0, batchInertia: 0, movement: 0))   // ignored
        XCTAssertFalse(s.shouldStop(step: 1, batchInertia: 5, movement: 0))   // minimum 5
        XCTAssertFalse(s.shouldStop(step: 2, batchInertia: 6, movement: 0))   // α = 1: 6, one
        XCTAssertTrue(s.shouldStop(step: 3, batchInertia: 7, movement: 0))    // two without improvement
    }

    // MARK: behaviour

    func testRunsEveryStepWithoutStoppingRules() throws {
        let x = blobs(300, seed: 4)
        let (r, steps) = try MiniBatchKMeans(clusterCount: 3, batchSize: 64, maxIter: 5, maxNoImprovement: nil)
            .run(x)
        XCTAssertEqual(steps, 5 * 300 / 64)
        XCTAssertEqual(r.iterationCount, Int((Double(steps * 64) / 300).rounded(.up)))
        XCTAssertFalse(r.converged)
        XCTAssertEqual(Set(r.labels).count, 3)
    }

    func testToleranceStopsEarly() throws {
        let x = blobs(3000, seed: 5)
        let (r, steps) = try MiniBatchKMeans(clusterCount: 3, batchSize: 100, maxNoImprovement: nil, tol: 1e-3)
            .run(x)
        XCTAssertTrue(r.converged)
        XCTAssertLessThan(steps, 100 * 3000 / 100)
    }

    func testBatchLargerThanDataIsCapped() throws {
        let x = blobs(90, seed: 6)
        let (r, steps) = try MiniBatchKMeans(clusterCount: 3, batchSize: 5000, maxIter: 7, maxNoImprovement: nil)
            .run(x)
        XCTAssertEqual(steps, 7)
        XCTAssertEqual(r.iterationCount, 7)
    }

    func testLabelsAndInertiaAreOnAllRows() throws {
        let x = blobs(600, seed: 7)
        let r = try MiniBatchKMeans(clusterCount: 3, batchSize: 50, seed: 3).fit(x)
        var total = 0.0
        for i in 0..<x.rows {
            let d2 = (0..<3).map { j in (0..<2).reduce(0.0) { $0 + pow(x[i, $1] - r.centroids[j, $1], 2) } }
            XCTAssertEqual(d2[r.labels[i]], d2.min()!, accuracy: 1e-9)
            XCTAssertEqual(r.distances[i], d2[r.labels[i]].squareRoot(), accuracy: 1e-9)
            total += d2[r.labels[i]]
        }
        XCTAssertEqual(r.inertia, total, accuracy: 1e-9 * total)
        XCTAssertTrue(samePartition(r.labels, (0..<600).map { $0 % 3 }))
    }

    func testDeterministicForSeedWhateverTheThreadCount() throws {
        let x = blobs(1500, seed: 8)
        var results: [KMeansResult] = []
        for workers in [1, 2, 3] {
            var m = MiniBatchKMeans(clusterCount: 3, batchSize: 600, seed: 11)
            m.workerCount = workers
            results.append(try m.fit(x))
        }
        for r in results.dropFirst() {
            XCTAssertEqual(r, results[0])
            XCTAssertEqual(r.centroids.values.map(\.bitPattern), results[0].centroids.values.map(\.bitPattern))
        }
        let other = try MiniBatchKMeans(clusterCount: 3, batchSize: 600, seed: 12).fit(x)
        XCTAssertNotEqual(other.centroids, results[0].centroids)
        XCTAssertTrue(samePartition(other.labels, results[0].labels))
    }

    func testSeveralSeedingsAndSmallInitSize() throws {
        let x = blobs(300, seed: 9)
        let r = try MiniBatchKMeans(clusterCount: 3, batchSize: 32, nInit: 3, initSize: 2).fit(x)
        XCTAssertEqual(r.warnings, ["init_size=2 should be larger than n_clusters=3; using init_size=9"])
        XCTAssertTrue(samePartition(r.labels, (0..<300).map { $0 % 3 }))
    }

    func testParameterValidation() {
        let x = blobs(30, seed: 1)
        let cases: [(MiniBatchKMeans, String)] = [
            (MiniBatchKMeans(clusterCount: 0), "n_clusters=0 should be >= 1"),
            (MiniBatchKMeans(clusterCount: 2, batchSize: 0), "batch_size=0 should be >= 1"),
            (MiniBatchKMeans(clusterCount: 2, maxIter: 0), "max_iter=0 should be >= 1"),
            (MiniBatchKMeans(clusterCount: 2, nInit: 0), "n_init=0 should be >= 1"),
            (MiniBatchKMeans(clusterCount: 2, initSize: 0), "init_size=0 should be >= 1"),
            (MiniBatchKMeans(clusterCount: 2, reassignmentRatio: -0.1), "reassignment_ratio=-0.1 should be in [0, 1]"),
            (MiniBatchKMeans(clusterCount: 2, reassignmentRatio: 1.5), "reassignment_ratio=1.5 should be in [0, 1]"),
            (MiniBatchKMeans(clusterCount: 2, maxNoImprovement: -1), "max_no_improvement=-1 should be >= 0"),
            (MiniBatchKMeans(clusterCount: 2, tol: .nan), "tol=nan should be finite and >= 0"),
            (MiniBatchKMeans(clusterCount: 31), "n_samples=30 should be >= n_clusters=31"),
        ]
        for (m, message) in cases {
            XCTAssertThrowsError(try m.fit(x)) { XCTAssertEqual("\($0)", message) }
        }
        XCTAssertThrowsError(try MiniBatchKMeans(clusterCount: 1).fit(Matrix(rows: [[0], [.infinity]]))) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 1, column: 0))
        }
        XCTAssertThrowsError(try MiniBatchKMeans(clusterCount: 1).fit(Matrix(rows: 0, columns: 3, values: []))) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
    }
}
