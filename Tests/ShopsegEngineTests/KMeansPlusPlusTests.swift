import XCTest
@testable import ShopsegEngine

final class KMeansPlusPlusTests: XCTestCase {
    func testCentresAreDistinctDataRows() {
        var g = Xoshiro256StarStar(seed: 11)
        let x = Matrix(rows: 300, columns: 2, values: (0..<600).map { _ in g.uniform() })
        let data = CenteredData(x, tol: 1e-4)
        var rng = Xoshiro256StarStar(seed: 1)
        let c = KMeansPlusPlus.initialCentres(data, k: 10, rng: &rng, workers: 2)
        let rows = Set((0..<300).map { [data.values[2 * $0], data.values[2 * $0 + 1]] })
        let centres = (0..<10).map { [c[2 * $0], c[2 * $0 + 1]] }
        XCTAssertTrue(centres.allSatisfy(rows.contains))
        XCTAssertEqual(Set(centres).count, 10)
    }

    func testPicksOneCentrePerWellSeparatedBlob() {
        // Four tight blobs far apart: D² sampling essentially always lands in a new blob.
        var rows: [[Double]] = []
        for (cx, cy) in [(0.0, 0.0), (100.0, 0.0), (0.0, 100.0), (100.0, 100.0)] {
            for i in 0..<25 { rows.append([cx + Double(i % 5) * 0.01, cy + Double(i / 5) * 0.01]) }
        }
        let data = CenteredData(Matrix(rows: rows), tol: 0)
        for seed in 0..<5 as Range<UInt64> {
            var rng = Xoshiro256StarStar(seed: seed)
            let c = KMeansPlusPlus.initialCentres(data, k: 4, rng: &rng, workers: 1)
            let blobs = Set((0..<4).map { j in
                "\(c[2 * j] + data.mean[0] > 50)\(c[2 * j + 1] + data.mean[1] > 50)"
            })
            XCTAssertEqual(blobs.count, 4)
        }
    }

    func testLowerBoundIsSearchsortedLeft() {
        XCTAssertEqual(KMeansPlusPlus.lowerBound([0, 0, 1, 3], 0), 0)
        XCTAssertEqual(KMeansPlusPlus.lowerBound([0, 0, 1, 3], 0.5), 2)
        XCTAssertEqual(KMeansPlusPlus.lowerBound([0, 0, 1, 3], 3), 3)
        XCTAssertEqual(KMeansPlusPlus.lowerBound([0, 0, 1, 3], 4), 4)
    }
}
