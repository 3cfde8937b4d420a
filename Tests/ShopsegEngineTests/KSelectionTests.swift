import XCTest
@testable import ShopsegEngine

final class KSelectionTests: XCTestCase {
    private func fourBlobs() -> Matrix {
        var g = Xoshiro256StarStar(seed: 21)
        let centres: [[Double]] = [[0, 0], [30, 0], [0, 30], [30, 30]]
        return Matrix(rows: (0..<120).map { i in centres[i % 4].map { $0 + 2 * g.uniform() } })
    }

    func testPicksFourOnFourSeparatedBlobs() throws {
        let x = fourBlobs()
        let sweep = try KSelection(kRange: 2...10, nInit: 3, seed: 1).fit(x)
        XCTAssertEqual(sweep.chosenK, 4)
        XCTAssertEqual(sweep.candidates.map(\.k), Array(2...10))
        XCTAssertEqual(sweep.rule, "highest silhouette; ties (within 1e-12) to the smaller k")
        XCTAssertEqual(sweep.warnings, [])
        XCTAssertTrue(samePartition(sweep.chosen.labels, (0..<120).map { $0 % 4 }))
        // The chosen fit is exactly the k-means fit for k = 4 with the same settings.
        XCTAssertEqual(sweep.chosen, try KMeans(clusterCount: 4, nInit: 3, seed: 1).fit(x))
        // The chosen k really has the highest silhouette, and every index is recorded.
        let s = sweep.candidates.map { $0.quality.silhouette.value! }
        XCTAssertEqual(s.firstIndex(of: s.max()!), 2)
        for c in sweep.candidates {
            XCTAssertNotNil(c.quality.daviesBouldin.value)
            XCTAssertNotNil(c.quality.calinskiHarabasz.value)
            XCTAssertEqual(c.quality.clusterCount, c.k)
            XCTAssertEqual(c.quality.silhouetteSampleSize, 120)
        }
        // Inertia falls with k; CH peaks and DB bottoms at the true k too on such data.
        let inertia = sweep.candidates.map(\.quality.inertia)
        XCTAssertEqual(inertia, inertia.sorted(by: >))
        let ch = sweep.candidates.map { $0.quality.calinskiHarabasz.value! }
        XCTAssertEqual(ch.firstIndex(of: ch.max()!), 2)
    }

    func testPicksFourOnSklearnBlobs() throws {
        let f = try KMeansFixtures.bestOfTen("separated200x3")   // make_blobs, 4 centres
        XCTAssertEqual(try KSelection(kRange: 2...8, nInit: 2).fit(f.matrix).chosenK, 4)
    }

    func testTieRuleAndUndefinedSilhouettes() {
        XCTAssertEqual(KSelection.choose([(2, 0.5), (3, 0.7), (4, 0.7)]), 3)
        XCTAssertEqual(KSelection.choose([(2, 0.7), (3, 0.7 + 1e-13), (4, 0.2)]), 2)
        XCTAssertEqual(KSelection.choose([(2, nil), (3, 0.1), (4, nil)]), 3)
        XCTAssertNil(KSelection.choose([(2, nil), (3, nil)]))
    }

    func testRangeAboveSamplesIsClipped() throws {
        let x = Matrix(rows: [[0], [1], [10], [11], [30]])
        let sweep = try KSelection(kRange: 2...10).fit(x)
        XCTAssertEqual(sweep.candidates.map(\.k), [2, 3, 4])
        XCTAssertEqual(sweep.warnings, ["k range 2...10 clipped to 2...4: k <= n_samples - 1 = 4"])
        XCTAssertEqual(sweep.chosenK, 3)   // {0, 1}, {10, 11}, {30}
    }

    func testErrors() {
        let x = Matrix(rows: [[0], [1], [2]])
        XCTAssertThrowsError(try KSelection(kRange: 3...5).fit(x)) {
            XCTAssertEqual($0 as? EngineError, .kRangeAboveSamples(lower: 3, upper: 5, samples: 3))
            XCTAssertEqual("\($0)", "k range 3...5 needs n_samples >= 4 (k <= n_samples - 1); got n_samples=3")
        }
        XCTAssertThrowsError(try KSelection(kRange: 1...5).fit(x)) {
            XCTAssertEqual("\($0)", "k_range=1...5 should be a range with lower bound >= 2")
        }
        XCTAssertThrowsError(try KSelection().fit(Matrix(rows: 0, columns: 2, values: []))) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
        XCTAssertThrowsError(try KSelection(kRange: 2...2).fit(Matrix(rows: [[0], [.nan], [2]]))) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 1, column: 0))
        }
    }

    func testIdenticalRowsFallBackToSmallestK() throws {
        let x = Matrix(rows: [[Double]](repeating: [3, 4], count: 6))
        let sweep = try KSelection(kRange: 2...4, nInit: 2).fit(x)
        XCTAssertEqual(sweep.chosenK, 2)
        XCTAssertEqual(sweep.warnings, ["silhouette undefined for every k in 2...4; chose the smallest k"])
        for c in sweep.candidates {
            XCTAssertEqual(c.quality.silhouette.reason,
                           "Number of labels is 1. Valid values are 2 to n_samples - 1 (inclusive) with n_samples=6")
            XCTAssertEqual(c.quality.inertia, 0)
        }
    }

    func testDeterministicWhateverTheThreadCount() throws {
        let x = fourBlobs()
        var a = KSelection(kRange: 2...5, nInit: 2, seed: 3), b = a
        a.workerCount = 1
        b.workerCount = 3
        XCTAssertEqual(try a.fit(x), try b.fit(x))
    }
}
