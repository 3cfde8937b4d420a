import XCTest
@testable import ShopsegEngine

final class SilhouetteTests: XCTestCase {
    func testTinyHandWorkedExample() throws {
        // Rows 0 and 3: a = 1, b = 10.5 → 9.5/10.5; rows 1 and 2: a = 1, b = 9.5 → 8.5/9.5.
        let s = try Silhouette.score(Matrix(rows: [[0], [1], [10], [11]]), labels: [0, 0, 1, 1])
        XCTAssertEqual(s.value, (9.5 / 10.5 + 8.5 / 9.5) / 2, accuracy: 1e-15)
        XCTAssertEqual(s, SilhouetteScore(value: s.value, sampleSize: 4, isSampled: false))
    }

    func testSingleMemberClusterScoresZero() throws {
        // Row 2 alone → s = 0; row 0: a = 1, b = 5 → 0.8; row 1: a = 1, b = 4 → 0.75.
        let x = Matrix(rows: [[0], [1], [5]])
        XCTAssertEqual(try Silhouette.samples(x, labels: [4, 4, 9], workers: 1), [0.8, 0.75, 0])
        XCTAssertEqual(try Silhouette.score(x, labels: [4, 4, 9]).value, 1.55 / 3, accuracy: 1e-15)
    }

    func testDuplicatePointsAcrossClustersScoreZeroNotNaN() throws {
        let x = Matrix(rows: [[1, 1], [1, 1], [1, 1], [1, 1]])
        XCTAssertEqual(try Silhouette.score(x, labels: [0, 0, 1, 1]).value, 0)
    }

    func testLabelCountRule() {
        let x = Matrix(rows: [[0], [1], [2]])
        XCTAssertThrowsError(try Silhouette.score(x, labels: [0, 0, 0])) {
            XCTAssertEqual($0 as? EngineError, .invalidLabelCount(labels: 1, samples: 3))
        }
        XCTAssertThrowsError(try Silhouette.score(x, labels: [0, 1, 2])) {
            XCTAssertEqual($0 as? EngineError, .invalidLabelCount(labels: 3, samples: 3))
        }
        XCTAssertThrowsError(try Silhouette.score(x, labels: [0, 1])) {
            XCTAssertEqual("\($0)", "len(labels)=2 should be == n_samples=3")
        }
        XCTAssertThrowsError(try Silhouette.score(x, labels: [0, 1, 1], sampleLimit: 1)) {
            XCTAssertEqual("\($0)", "sample_limit=1 should be >= 2")
        }
    }

    func testSamplingAboveLimitIsSeededAndFlagged() throws {
        var g = Xoshiro256StarStar(seed: 2)
        let x = Matrix(rows: 400, columns: 2, values: (0..<800).map { _ in g.uniform() })
        let labels = (0..<400).map { x[$0, 0] < 0.5 ? 0 : 1 }
        let exact = try Silhouette.score(x, labels: labels)
        let a = try Silhouette.score(x, labels: labels, sampleLimit: 150, seed: 1)
        let b = try Silhouette.score(x, labels: labels, sampleLimit: 150, seed: 1)
        let c = try Silhouette.score(x, labels: labels, sampleLimit: 150, seed: 2)
        XCTAssertFalse(exact.isSampled)
        XCTAssertEqual(exact.sampleSize, 400)
        XCTAssertTrue(a.isSampled)
        XCTAssertEqual(a.sampleSize, 150)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a.value, c.value)
        XCTAssertEqual(a.value, exact.value, accuracy: 0.1)
        // The sample equals the exact score of the sampled rows.
        let rows = Silhouette.sampledRows(n: 400, count: 150, seed: 1)
        XCTAssertEqual(Set(rows).count, 150)
        let sub = Matrix(rows: rows.map { x.row($0) })
        XCTAssertEqual(try Silhouette.score(sub, labels: rows.map { labels[$0] }).value, a.value)
    }

    func testMatchesBruteForceDefinition() throws {
        var g = Xoshiro256StarStar(seed: 4)
        let x = Matrix(rows: 700, columns: 3, values: (0..<2100).map { _ in g.uniform() })
        let labels = (0..<700).map { _ in g.uniformInt(below: 5) }
        let fast = try Silhouette.samples(x, labels: labels, workers: 2)
        for i in stride(from: 0, to: 700, by: 37) {
            var sums = [Double](repeating: 0, count: 5), counts = [Double](repeating: 0, count: 5)
            for j in 0..<700 {
                let d = (0..<3).reduce(0.0) { $0 + (x[i, $1] - x[j, $1]) * (x[i, $1] - x[j, $1]) }.squareRoot()
                sums[labels[j]] += d
                counts[labels[j]] += 1
            }
            let a = sums[labels[i]] / (counts[labels[i]] - 1)
            let b = (0..<5).filter { $0 != labels[i] }.map { sums[$0] / counts[$0] }.min()!
            XCTAssertEqual(fast[i], (b - a) / max(a, b), accuracy: 1e-12)
        }
    }
}
