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

    /// 2 000 rows in five far-apart blobs (row i in blob i % 5).
    private func fiveBlobs() -> Matrix {
        var g = Xoshiro256StarStar(seed: 8)
        let centres: [[Double]] = [[0, 0], [40, 0], [0, 40], [40, 40], [20, 80]]
        return Matrix(rows: (0..<2_000).map { i in centres[i % 5].map { $0 + 3 * g.uniform() } })
    }

    func testAboveTheThresholdEveryKIsFittedOnASampleAndTheChosenKOnAllRows() throws {
        let x = fiveBlobs()
        let full = try KSelection(kRange: 2...8, nInit: 2, seed: 5).fit(x)
        var settings = KSelection(kRange: 2...8, nInit: 2, seed: 5)
        settings.sweepSample = SweepSample(threshold: 1_000, size: 300)
        let sampled = try settings.fit(x)
        XCTAssertEqual(full.chosenK, 5)
        XCTAssertEqual(sampled.chosenK, full.chosenK)
        XCTAssertEqual(full.sweepRowCount, 2_000)
        XCTAssertEqual(sampled.sweepRowCount, 300)
        // The candidates describe the sample, and say so…
        for c in sampled.candidates {
            XCTAssertEqual(c.quality.scoredCount, 300)
            XCTAssertEqual(c.quality.silhouetteSampleSize, 300)
        }
        XCTAssertEqual(sampled.rule, "highest silhouette; ties (within 1e-12) to the smaller k; every k fitted and "
                       + "scored on a seeded sample of 300 of 2000 rows, the chosen k refitted on all 2000")
        XCTAssertEqual(full.rule, KSelection.rule)
        // …while the chosen fit covers every row: the same settings fitted on all of x.
        XCTAssertEqual(sampled.chosen.labels.count, 2_000)
        XCTAssertEqual(sampled.chosen, try KMeans(clusterCount: 5, nInit: 2, seed: 5).fit(x))
        XCTAssertTrue(samePartition(sampled.chosen.labels, (0..<2_000).map { $0 % 5 }))
        // The sample is the seed's: the same seed gives the same sweep, another seed another sample.
        XCTAssertEqual(try settings.fit(x), sampled)
        var reseeded = settings
        reseeded.seed = 6
        XCTAssertNotEqual(try reseeded.fit(x).candidates.map(\.quality.inertia), sampled.candidates.map(\.quality.inertia))
    }

    func testAtOrBelowTheThresholdTheSweepIsUnchanged() throws {
        let x = fiveBlobs()
        let before = try KSelection(kRange: 3...6, nInit: 2, seed: 9).fit(x)
        var atThreshold = KSelection(kRange: 3...6, nInit: 2, seed: 9)
        atThreshold.sweepSample = SweepSample(threshold: 2_000, size: 100)
        XCTAssertEqual(try atThreshold.fit(x), before)
        XCTAssertEqual(before.sweepRowCount, 2_000)
        XCTAssertEqual(before.rule, KSelection.rule)
    }

    func testSweepSampleRowsAndValidation() throws {
        let s = SweepSample(threshold: 10, size: 4)
        XCTAssertNil(s.rows(n: 10, seed: 0))
        let rows = try XCTUnwrap(s.rows(n: 11, seed: 0))
        XCTAssertEqual(rows.count, 4)
        XCTAssertEqual(rows, rows.sorted())
        XCTAssertEqual(Set(rows).count, 4)
        XCTAssertTrue(rows.allSatisfy { (0..<11).contains($0) })
        XCTAssertEqual(s.rows(n: 11, seed: 0), rows)
        XCTAssertEqual(SweepSample(), SweepSample(threshold: 100_000, size: 100_000))
        XCTAssertThrowsError(try SweepSample(threshold: 10, size: 1).validate()) {
            XCTAssertEqual("\($0)", "sweep_sample_size=1 should be >= 2")
        }
        var settings = KSelection(kRange: 2...3)
        settings.sweepSample = SweepSample(threshold: 5, size: 6)
        XCTAssertThrowsError(try settings.fit(fourBlobs())) {
            XCTAssertEqual("\($0)", "sweep_sample_threshold=5 should be >= sweep_sample_size=6")
        }
    }

    func testSampledSweepDeterministicWhateverTheThreadCount() throws {
        var a = KSelection(kRange: 2...5, nInit: 2, seed: 3), b = a
        a.sweepSample = SweepSample(threshold: 500, size: 250)
        b.sweepSample = a.sweepSample
        a.workerCount = 1
        b.workerCount = 3
        XCTAssertEqual(try a.fit(fiveBlobs()), try b.fit(fiveBlobs()))
    }

    func testDeterministicWhateverTheThreadCount() throws {
        let x = fourBlobs()
        var a = KSelection(kRange: 2...5, nInit: 2, seed: 3), b = a
        a.workerCount = 1
        b.workerCount = 3
        XCTAssertEqual(try a.fit(x), try b.fit(x))
    }
}
