import Foundation
import XCTest
@testable import ShopsegEngine

final class FeaturePreparationTests: XCTestCase {
    private let noTransform = FeaturePreparation(skewThreshold: .infinity)

    private func assertClose(_ a: [Double], _ b: [Double], accuracy: Double = 1e-12,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, file: file, line: line)
        for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, file: file, line: line) }
    }

    func testMedianImputationOddAndEvenCounts() throws {
        // odd count: median of [1, 3, 10] = 3; even count: median of [1, 2, 5, 9] = (2 + 5) / 2 = 3.5
        let x = Matrix(rows: [[1, 1], [.nan, 2], [3, .nan], [10, 5], [.nan, 9]])
        let p = try noTransform.fit(x, columnNames: ["a", "b"])
        XCTAssertEqual(p.imputedValues, [3, 3.5])
        XCTAssertEqual(p.imputedCounts, [2, 1])
        // Column a after imputation: [1, 3, 3, 10, 3]; mean 4.
        XCTAssertEqual(p.means[0], 4, accuracy: 1e-15)
        let expected: Double = 20.5 / 5   // (1 + 2 + 3.5 + 5 + 9) / 5
        XCTAssertEqual(p.means[1], expected, accuracy: 1e-15)
        XCTAssertEqual(p.warnings, [])
    }

    func testStandardScalingUsesPopulationStd() throws {
        let x = Matrix(rows: [[1], [2], [3], [4]])
        let p = try noTransform.fit(x, columnNames: ["orders"])
        XCTAssertEqual(p.means, [2.5])
        XCTAssertEqual(p.scales[0], 1.25.squareRoot(), accuracy: 1e-15)   // ddof = 0
        let s = 1.25.squareRoot()
        assertClose(p.matrix.values, [-1.5 / s, -0.5 / s, 0.5 / s, 1.5 / s])
        XCTAssertEqual(p.transforms, [.none])
    }

    func testZeroVarianceAndAllMissingColumnsAreDroppedWithWarnings() throws {
        let x = Matrix(rows: [[0, .nan, 1, .nan], [0, .nan, 2, 5], [0, .nan, 3, .nan]])
        let p = try noTransform.fit(x, columnNames: ["views", "x", "orders", "spend"])
        XCTAssertEqual(p.columnNames, ["orders"])
        XCTAssertEqual(p.keptColumnIndices, [2])
        XCTAssertEqual(p.matrix.columns, 1)
        XCTAssertEqual(p.warnings, [
            "column 'views' dropped: zero variance (all values 0)",
            "column 'x' dropped: all values missing",
            "column 'spend' dropped: zero variance (all values 5)",
        ])
    }

    func testSkewnessIsBiasedFisherPearson() {
        // mean 4, deviations −3, −2, −1, 6: m2 = 12.5, m3 = 45, g1 = 45 / 12.5^1.5 (scipy: 1.0182337649086284).
        XCTAssertEqual(Statistics.skewness([1, 2, 3, 10]), 45 / pow(12.5, 1.5), accuracy: 1e-15)
        XCTAssertEqual(Statistics.skewness([1, 2, 3, 10]), 1.0182337649086284, accuracy: 1e-14)
        XCTAssertEqual(Statistics.skewness([1, 2, 3]), 0, accuracy: 1e-15)
    }

    func testSkewThresholdIsStrict() throws {
        let x = Matrix(rows: [[1], [2], [3], [10]])   // skewness 1.01823…
        XCTAssertEqual(try FeaturePreparation(skewThreshold: 1.0).fit(x, columnNames: ["a"]).transforms, [.log1p])
        XCTAssertEqual(try FeaturePreparation(skewThreshold: 1.02).fit(x, columnNames: ["a"]).transforms, [.none])
    }

    func testLog1pForNonNegativeHeavyTail() throws {
        // nine zeros and 100: after log1p, [0 × 9, L] with L = ln 101; mean L/10, std 0.3·L.
        let x = Matrix(rows: (0..<9).map { _ in [0.0] } + [[100]])
        let p = try FeaturePreparation().fit(x, columnNames: ["spend"])
        XCTAssertEqual(p.transforms, [.log1p])
        let l = log(101.0)
        XCTAssertEqual(p.means[0], l / 10, accuracy: 1e-15)
        XCTAssertEqual(p.scales[0], 0.3 * l, accuracy: 1e-14)
        XCTAssertEqual(p.matrix.values[0], -1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(p.matrix.values[9], 3, accuracy: 1e-12)
    }

    func testSignedLog1pWhenColumnHasNegatives() throws {
        let x = Matrix(rows: [[-1]] + (0..<8).map { _ in [0.0] } + [[100]])
        let p = try FeaturePreparation().fit(x, columnNames: ["balance"])
        XCTAssertEqual(p.transforms, [.signedLog1p])
        let t = [-log(2.0)] + [Double](repeating: 0, count: 8) + [log(101.0)]
        let mean = t.reduce(0, +) / 10
        XCTAssertEqual(p.means[0], mean, accuracy: 1e-15)
        XCTAssertEqual(ColumnTransform.signedLog1p.apply(-1), -log(2.0))
        XCTAssertEqual(ColumnTransform.signedLog1p.apply(3), log(4.0))
        XCTAssertEqual(ColumnTransform.log1p.apply(0), 0)
    }

    func testImputationHappensBeforeSkewnessAndScaling() throws {
        // Missing value imputed with median 2 → column [1, 2, 2, 3]: symmetric, no transform.
        let x = Matrix(rows: [[1], [.nan], [2], [3]])
        let p = try FeaturePreparation().fit(x, columnNames: ["a"])
        XCTAssertEqual(p.transforms, [.none])
        XCTAssertEqual(p.means, [2])
        XCTAssertEqual(p.matrix.values[1], 0)
    }

    func testErrors() {
        XCTAssertThrowsError(try FeaturePreparation().fit(Matrix(rows: 0, columns: 2, values: []), columnNames: ["a", "b"])) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
        XCTAssertThrowsError(try FeaturePreparation().fit(Matrix(rows: [[1], [1]]), columnNames: ["a"])) {
            XCTAssertEqual($0 as? EngineError, .noUsableColumns)
        }
        XCTAssertThrowsError(try FeaturePreparation().fit(Matrix(rows: [[1], [2]]), columnNames: ["a", "b"])) {
            XCTAssertEqual($0 as? EngineError, .columnNameCount(names: 2, columns: 1))
        }
        XCTAssertThrowsError(try FeaturePreparation().fit(Matrix(rows: [[1, 1], [2, .infinity], [3, -.infinity]]),
                                                          columnNames: ["a", "b"])) {
            XCTAssertEqual($0 as? EngineError, .nonFinite(column: "b", count: 2))
            XCTAssertEqual("\($0)", "column 'b' has 2 non-finite value(s) (NaN or ±inf) after preparation")
        }
    }

    func testOutputIsFiniteWithZeroMeanUnitVariance() throws {
        var g = Xoshiro256StarStar(seed: 3)
        let values = (0..<300).map { i -> Double in
            let u = g.uniform()
            if i % 7 == 0 { return .nan }
            return i % 3 == 0 ? exp(6 * u) : u * 10 - 5   // col 0 heavy-tailed, cols 1–2 not
        }
        let p = try FeaturePreparation().fit(Matrix(rows: 100, columns: 3, values: values), columnNames: ["a", "b", "c"])
        XCTAssertEqual(p.transforms[0], .log1p)
        for j in 0..<p.matrix.columns {
            let col = p.matrix.column(j)
            XCTAssert(col.allSatisfy(\.isFinite))
            let mean = col.reduce(0, +) / 100
            let variance = col.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / 100
            XCTAssertEqual(mean, 0, accuracy: 1e-12)
            XCTAssertEqual(variance, 1, accuracy: 1e-12)
        }
    }
}
