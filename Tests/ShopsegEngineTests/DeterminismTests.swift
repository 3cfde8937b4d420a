import XCTest
@testable import ShopsegEngine

/// Same seed → bitwise-identical results, whatever the number of worker threads.
final class DeterminismTests: XCTestCase {
    private func bits(_ r: KMeansResult) -> [UInt64] {
        r.centroids.values.map(\.bitPattern) + r.distances.map(\.bitPattern) + [r.inertia.bitPattern]
    }

    private func data(rows: Int, columns: Int, seed: UInt64) -> Matrix {
        var g = Xoshiro256StarStar(seed: seed)
        return Matrix(rows: rows, columns: columns, values: (0..<(rows * columns)).map { i in
            g.uniform() + Double(i % 3) * 4   // a little structure
        })
    }

    func testSameSeedGivesBitwiseIdenticalKMeans() throws {
        let x = data(rows: 900, columns: 3, seed: 1)   // 4 chunks of ≤ 256 rows
        let a = try KMeans(clusterCount: 5, nInit: 3, seed: 123).fit(x)
        let b = try KMeans(clusterCount: 5, nInit: 3, seed: 123).fit(x)
        XCTAssertEqual(a, b)
        XCTAssertEqual(bits(a), bits(b))
    }

    func testWorkerCountIsUnobservableInKMeans() throws {
        let x = data(rows: 900, columns: 3, seed: 2)
        var results: [KMeansResult] = []
        for workers in [1, 2, 3, 8] {
            var km = KMeans(clusterCount: 6, nInit: 2, seed: 7)
            km.workerCount = workers
            results.append(try km.fit(x))
        }
        for r in results.dropFirst() {
            XCTAssertEqual(r.labels, results[0].labels)
            XCTAssertEqual(bits(r), bits(results[0]))
            XCTAssertEqual(r.iterationCount, results[0].iterationCount)
        }
    }

    func testWorkerCountIsUnobservableInSilhouette() throws {
        let x = data(rows: 1100, columns: 2, seed: 3)   // several row blocks
        let labels = (0..<1100).map { $0 % 4 }
        let values = try [1, 2, 5].map {
            try Silhouette.score(x, labels: labels, sampleLimit: 30_000, seed: 0, workers: $0).value.bitPattern
        }
        XCTAssertEqual(Set(values).count, 1)
    }

    func testChunkingDependsOnlyOnCount() {
        let ranges = ChunkedParallel.chunks(count: 600, chunkSize: 256)
        XCTAssertEqual(ranges, [0..<256, 256..<512, 512..<600])
        for workers in [1, 2, 4] {
            XCTAssertEqual(ChunkedParallel.map(count: 600, chunkSize: 256, workers: workers) { i, r in [i, r.count] },
                           [[0, 256], [1, 256], [2, 88]])
        }
    }

    func testDifferentSeedsStillAgreeOnSeparatedData() throws {
        let f = try KMeansFixtures.bestOfTen("separated150x2")
        let a = try KMeans(clusterCount: 3, seed: 1).fit(f.matrix)
        let b = try KMeans(clusterCount: 3, seed: 2).fit(f.matrix)
        XCTAssertTrue(samePartition(a.labels, b.labels))
    }
}
