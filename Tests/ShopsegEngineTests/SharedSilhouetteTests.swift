import XCTest
@testable import ShopsegEngine

/// `Silhouette.scores` / `ClusterQuality.evaluate(kmeans: [results])`: several labellings
/// scored with one distance computation must agree with scoring each on its own.
final class SharedSilhouetteTests: XCTestCase {
    private func blobs(_ n: Int, seed: UInt64) -> Matrix {
        var g = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: n, columns: 3, values: (0..<(3 * n)).map { i in g.uniform() + Double((i / 3) % 4) * 2 })
    }

    func testEachLabellingMatchesItsOwnScore() throws {
        let x = blobs(900, seed: 5)
        var g = Xoshiro256StarStar(seed: 6)
        let labelings = [(0..<900).map { $0 % 4 }, (0..<900).map { _ in g.uniformInt(below: 7) }, (0..<900).map { $0 % 2 }]
        for limit in [10_000, 300] {
            let shared = try Silhouette.scores(x, labelings: labelings, sampleLimit: limit, seed: 3, workers: 2)
            for (labels, result) in zip(labelings, shared) {
                let alone = try Silhouette.score(x, labels: labels, sampleLimit: limit, seed: 3, workers: 1)
                let s = try result.get()
                XCTAssertEqual(s.value, alone.value, accuracy: 1e-12)
                XCTAssertEqual(s.sampleSize, alone.sampleSize)
                XCTAssertEqual(s.isSampled, limit < 900)
            }
        }
    }

    func testInvalidLabellingFailsAloneAndDeterministic() throws {
        let x = blobs(300, seed: 1)
        let labelings = [[Int](repeating: 7, count: 300), (0..<300).map { $0 % 3 }]
        let a = try Silhouette.scores(x, labelings: labelings, sampleLimit: 30_000, seed: 0, workers: 1)
        let b = try Silhouette.scores(x, labelings: labelings, sampleLimit: 30_000, seed: 0, workers: 3)
        guard case .failure(.invalidLabelCount(labels: 1, samples: 300)) = a[0] else { return XCTFail("\(a[0])") }
        XCTAssertEqual(try a[1].get().value.bitPattern, try b[1].get().value.bitPattern)
        XCTAssertThrowsError(try Silhouette.scores(x, labelings: [[0, 1]], sampleLimit: 30_000, seed: 0, workers: 1))
    }

    func testBatchQualityMatchesOneByOne() throws {
        let x = blobs(600, seed: 9)
        let fits = try (2...5).map { try KMeans(clusterCount: $0, nInit: 2, seed: 1).fit(x) }
        let batch = try ClusterQuality.evaluate(x, kmeans: fits, silhouetteSampleLimit: 400, seed: 2)
        for (fit, q) in zip(fits, batch) {
            let alone = try ClusterQuality.evaluate(x, kmeans: fit, silhouetteSampleLimit: 400, seed: 2)
            XCTAssertEqual(q.silhouette.value!, alone.silhouette.value!, accuracy: 1e-12)
            XCTAssertEqual(q.daviesBouldin, alone.daviesBouldin)
            XCTAssertEqual(q.calinskiHarabasz, alone.calinskiHarabasz)
            XCTAssertEqual(q.inertia, fit.inertia)
            XCTAssertEqual(q.silhouetteSampleSize, 400)
        }
    }
}
