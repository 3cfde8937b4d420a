import Foundation
import XCTest
@testable import ShopsegEngine

/// A `prep_*.json` case: scikit-learn SimpleImputer → np.clip(np.quantile) →
/// log1p/signed log1p → Standard/Robust/MinMaxScaler (see make_prep_pca_fixtures.py).
private struct PrepFixture: Decodable {
    let name: String
    let rows: Int, columns: Int
    let columnNames: [String]
    let impute: String
    let winsorize: [Double]?
    let transform: String
    let scaler: String
    let skewThreshold: Double
    let x: [Double]
    let imputedValues: [Double]
    let clipLows: [Double]?
    let clipHighs: [Double]?
    let transforms: [String]
    let centres: [Double]
    let scales: [Double]
    let prepared: [Double]
    let newRows: Int
    let xNew: [Double]
    let preparedNew: [Double]

    var settings: FeaturePreparation {
        FeaturePreparation(skewThreshold: skewThreshold,
                           imputation: Imputation(rawValue: impute)!,
                           winsorize: winsorize.map { Winsorization(lower: $0[0], upper: $0[1]) },
                           transform: TransformPolicy(rawValue: transform)!,
                           scaler: Scaler(rawValue: scaler)!)
    }
}

final class PreparationOptionsTests: XCTestCase {
    private static let prepCases = ["prep_standard_median", "prep_robust_mean", "prep_minmax_winsor",
                                    "prep_auto_robust", "prep_log1p_standard_winsor", "prep_none_none"]

    private func assertAgree(_ a: [Double], _ b: [Double], rel: Double = 1e-12, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() where !agrees(x, y, rel: rel) {
            XCTFail("\(what)[\(i)]: \(x) vs scikit-learn \(y)", file: file, line: line)
            return
        }
    }

    // MARK: scikit-learn parity

    func testParityWithScikitLearnPipelines() throws {
        for name in Self.prepCases {
            let f = try EngineFixtures.load(name, as: PrepFixture.self)
            let x = Matrix(rows: f.rows, columns: f.columns, values: f.x)
            let p = try f.settings.fit(x, columnNames: f.columnNames)
            XCTAssertEqual(p.columnNames, f.columnNames, name)
            assertAgree(p.imputedValues, f.imputedValues, "\(name) imputed")
            if let lows = f.clipLows, let highs = f.clipHighs {
                assertAgree(p.clipLows.map { $0! }, lows, "\(name) clip low")
                assertAgree(p.clipHighs.map { $0! }, highs, "\(name) clip high")
            } else {
                XCTAssert(p.clipLows.allSatisfy { $0 == nil } && p.clipHighs.allSatisfy { $0 == nil }, name)
            }
            XCTAssertEqual(p.transforms.map(\.rawValue), f.transforms, name)
            assertAgree(p.centres, f.centres, "\(name) centre")
            assertAgree(p.scales, f.scales, "\(name) scale")
            assertAgree(p.matrix.values, f.prepared, "\(name) prepared")
            let new = try p.apply(Matrix(rows: f.newRows, columns: f.columns, values: f.xNew),
                                  columnNames: f.columnNames)
            assertAgree(new.values, f.preparedNew, "\(name) new rows")
        }
    }

    func testApplyToFitDataReproducesTheFittedMatrixExactly() throws {
        for name in Self.prepCases {
            let f = try EngineFixtures.load(name, as: PrepFixture.self)
            let x = Matrix(rows: f.rows, columns: f.columns, values: f.x)
            let p = try f.settings.fit(x, columnNames: f.columnNames)
            XCTAssertEqual(try p.apply(x, columnNames: f.columnNames), p.matrix, name)
        }
    }

    func testResultDoesNotDependOnWorkerCount() throws {
        // 19 columns: three groups of up to 8 columns, fitted in parallel.
        var g = Xoshiro256StarStar(seed: 5)
        let values = (0..<(300 * 19)).map { i -> Double in i % 11 == 0 ? .nan : exp(4 * g.uniform()) - Double(i % 3) }
        let x = Matrix(rows: 300, columns: 19, values: values)
        let names = (0..<19).map { "c\($0)" }
        var settings = FeaturePreparation(winsorize: Winsorization(lower: 0.02, upper: 0.97), scaler: .robust)
        settings.workerCount = 1
        let one = try settings.fit(x, columnNames: names)
        settings.workerCount = 2
        XCTAssertEqual(try settings.fit(x, columnNames: names), one)
        XCTAssertEqual(one.columnNames, names)
    }

    // MARK: hand-worked cases

    func testNoTransformNoScalerGivesTheImputedInputBack() throws {
        let x = Matrix(rows: [[1.1, .nan], [3, 4], [5, 6.25], [.nan, 7]])
        let p = try FeaturePreparation(imputation: .mean, transform: .none, scaler: .none)
            .fit(x, columnNames: ["a", "b"])
        // a: mean(1.1, 3, 5) = 9.1 / 3; b: mean(4, 6.25, 7) = 5.75.
        XCTAssertEqual(p.matrix.values, [1.1, 5.75, 3, 4, 5, 6.25, 9.1 / 3, 7])
        XCTAssertEqual(p.centres, [0, 0])
        XCTAssertEqual(p.scales, [1, 1])
    }

    func testQuantileIsNumpyLinear() {
        // numpy.quantile([1, 2, 3, 4, 10], q): h = 4q; q = 0.9 → h = 3.6 → 4 + 0.6·6 = 7.6.
        let s: [Double] = [1, 2, 3, 4, 10]
        XCTAssertEqual(Statistics.quantile(sorted: s, 0.9), 7.6, accuracy: 1e-15)
        XCTAssertEqual(Statistics.quantile(sorted: s, 0.25), 2)
        XCTAssertEqual(Statistics.quantile(sorted: s, 0.1), 1.4, accuracy: 1e-15)
        XCTAssertEqual(Statistics.quantile(sorted: s, 0), 1)
        XCTAssertEqual(Statistics.quantile(sorted: s, 1), 10)
        XCTAssertEqual(Statistics.quantile(sorted: [7], 0.3), 7)
    }

    func testSelectionAgreesWithSorting() {
        var g = Xoshiro256StarStar(seed: 11)
        for n in [1, 2, 3, 10, 101, 1000] {
            // Many ties (a few distinct values, like counts with lots of zeros) and distinct values.
            for distinct in [2, 5, 1_000_000] {
                let values = (0..<n).map { _ in Double(g.uniformInt(below: distinct)) - 1 }
                let sorted = values.sorted()
                for k in Set([0, n / 4, n / 2, n - 1]) {
                    var work = values
                    XCTAssertEqual(Statistics.select(&work, k), sorted[k], "n=\(n) k=\(k)")
                    XCTAssertEqual(work.sorted(), sorted)   // a permutation
                }
                var work = values
                let mid = n / 2
                let median = n % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
                XCTAssertEqual(Statistics.median(selecting: &work), median)
                XCTAssertEqual(Statistics.median(values), median)
                for q in [0.0, 0.01, 0.25, 0.5, 0.75, 0.99, 1.0] {
                    // numpy linear: h = (n − 1)q, lerp between sorted[⌊h⌋] and sorted[⌊h⌋ + 1].
                    let h = Double(n - 1) * q, i = Int(h.rounded(.down)), t = h - h.rounded(.down)
                    let expected = i + 1 < n ? sorted[i] + (sorted[i + 1] - sorted[i]) * t : sorted[n - 1]
                    var w = values
                    XCTAssertEqual(Statistics.quantile(selecting: &w, q), expected, accuracy: 1e-9, "n=\(n) q=\(q)")
                }
            }
        }
    }

    func testWinsorizeClipsToQuantilesAndRecordsBounds() throws {
        let x = Matrix(rows: [[1], [2], [3], [4], [10]])
        let p = try FeaturePreparation(winsorize: Winsorization(lower: 0.1, upper: 0.9),
                                       transform: .none, scaler: .none).fit(x, columnNames: ["a"])
        XCTAssertEqual(p.clipLows[0]!, 1.4, accuracy: 1e-15)
        XCTAssertEqual(p.clipHighs[0]!, 7.6, accuracy: 1e-15)
        XCTAssertEqual(p.matrix.values[0], 1.4, accuracy: 1e-15)
        XCTAssertEqual(Array(p.matrix.values[1...3]), [2, 3, 4])
        XCTAssertEqual(p.matrix.values[4], 7.6, accuracy: 1e-15)
        // New rows are clipped with the stored bounds; NaN gets the median 3.
        let new = try p.apply(Matrix(rows: [[-50], [.nan], [99]]), columnNames: ["a"])
        XCTAssertEqual(new.values, [p.clipLows[0]!, 3, p.clipHighs[0]!])
    }

    func testWinsorizingThatMakesAColumnConstantDropsIt() throws {
        // 19 zeros and one 5: the 0.95 quantile is 0 + 0.05·… → h = 19·0.95 = 18.05 → 0.
        let x = Matrix(rows: (0..<19).map { i in [0.0, Double(i)] } + [[5, 19]])
        let p = try FeaturePreparation(winsorize: Winsorization(lower: 0, upper: 0.9))
            .fit(x, columnNames: ["returns", "t"])
        XCTAssertEqual(p.columnNames, ["t"])
        XCTAssertEqual(p.warnings, ["column 'returns' dropped: zero variance after winsorizing (all values 0)"])
    }

    func testRobustScalerUsesMedianAndInterquartileRange() throws {
        // [1, 2, 3, 4, 100]: median 3, q25 = 2, q75 = 4 → IQR 2.
        let x = Matrix(rows: [[1], [2], [3], [4], [100]])
        let p = try FeaturePreparation(transform: .none, scaler: .robust).fit(x, columnNames: ["a"])
        XCTAssertEqual(p.centres, [3])
        XCTAssertEqual(p.scales, [2])
        XCTAssertEqual(p.matrix.values, [-1, -0.5, 0, 0.5, 48.5])
        XCTAssertEqual(p.warnings, [])
    }

    func testRobustScalerWithZeroInterquartileRangeScalesByOneWithWarning() throws {
        let x = Matrix(rows: [[0], [0], [0], [0], [0], [5]])
        let p = try FeaturePreparation(transform: .none, scaler: .robust).fit(x, columnNames: ["returns"])
        XCTAssertEqual(p.centres, [0])
        XCTAssertEqual(p.scales, [1])
        XCTAssertEqual(p.matrix.values, [0, 0, 0, 0, 0, 5])
        XCTAssertEqual(p.warnings, ["column 'returns': interquartile range is 0; scaled by 1 (only centred)"])
    }

    func testMinMaxScalerMapsToUnitInterval() throws {
        let x = Matrix(rows: [[2], [4], [.nan], [6], [5]])   // median 4.5 imputed
        let p = try FeaturePreparation(transform: .none, scaler: .minMax).fit(x, columnNames: ["a"])
        XCTAssertEqual(p.centres, [2])
        XCTAssertEqual(p.scales, [4])
        XCTAssertEqual(p.matrix.values, [0, 0.5, 0.625, 1, 0.75])
    }

    func testMeanImputation() throws {
        let x = Matrix(rows: [[1], [.nan], [2], [9]])
        let p = try FeaturePreparation(imputation: .mean, transform: .none).fit(x, columnNames: ["a"])
        XCTAssertEqual(p.imputedValues, [4])
        XCTAssertEqual(p.imputedCounts, [1])
        XCTAssertEqual(p.centres, [4])   // [1, 4, 2, 9]
    }

    func testTransformPolicies() throws {
        // Symmetric non-negative column a and symmetric column b with negatives:
        // `auto` leaves both, `log1p` transforms both, `none` leaves a skewed column c alone.
        let x = Matrix(rows: [[0, -2, 0], [1, 0, 0], [2, 2, 0], [1, 0, 100]])
        let names = ["a", "b", "c"]
        XCTAssertEqual(try FeaturePreparation().fit(x, columnNames: names).transforms, [.none, .none, .log1p])
        XCTAssertEqual(try FeaturePreparation(transform: .log1p).fit(x, columnNames: names).transforms,
                       [.log1p, .signedLog1p, .log1p])
        XCTAssertEqual(try FeaturePreparation(transform: .none).fit(x, columnNames: names).transforms,
                       [.none, .none, .none])
        let p = try FeaturePreparation(transform: .log1p, scaler: .none).fit(x, columnNames: names)
        XCTAssertEqual(p.matrix.values[1], -log1p(2.0))
        XCTAssertEqual(p.matrix.values[3], log1p(1.0))
    }

    func testZeroVarianceColumnsAreDroppedWhateverTheScaler() throws {
        let x = Matrix(rows: [[1, 7], [2, 7], [4, 7]])
        for scaler in Scaler.allCases {
            let p = try FeaturePreparation(scaler: scaler).fit(x, columnNames: ["a", "flat"])
            XCTAssertEqual(p.columnNames, ["a"], "\(scaler)")
            XCTAssertEqual(p.warnings, ["column 'flat' dropped: zero variance (all values 7)"], "\(scaler)")
            XCTAssert(p.matrix.values.allSatisfy(\.isFinite))
        }
    }

    func testInvalidWinsorizeQuantilesThrow() {
        for (lo, hi) in [(0.5, 0.5), (0.9, 0.1), (-0.1, 0.9), (0.1, 1.5), (Double.nan, 0.9)] {
            XCTAssertThrowsError(try FeaturePreparation(winsorize: Winsorization(lower: lo, upper: hi))
                .fit(Matrix(rows: [[1], [2]]), columnNames: ["a"])) {
                guard case .invalidParameter(name: "winsorize", _, rule: "0 <= lower < upper <= 1")? = $0 as? EngineError
                else { return XCTFail("\($0)") }
            }
        }
    }

    // MARK: re-applying to new rows

    func testApplyIgnoresDroppedColumnsAndImputesWithStoredValues() throws {
        let x = Matrix(rows: [[1, .nan, 0], [2, .nan, 0], [6, .nan, 0]])
        let p = try FeaturePreparation(transform: .none).fit(x, columnNames: ["a", "gone", "flat"])
        XCTAssertEqual(p.columnNames, ["a"])
        let new = try p.apply(Matrix(rows: [[.nan, 123, -4], [3, .infinity, .nan]]),
                              columnNames: ["a", "gone", "flat"])
        XCTAssertEqual(new.columns, 1)
        XCTAssertEqual(new.values, [(2 - p.centres[0]) / p.scales[0], (3 - p.centres[0]) / p.scales[0]])
        let empty = try p.apply(Matrix(rows: 0, columns: 3, values: []), columnNames: ["a", "gone", "flat"])
        XCTAssertEqual(empty, Matrix(rows: 0, columns: 1, values: []))
    }

    func testApplyErrors() throws {
        let x = Matrix(rows: [[0, 1], [1, 2], [40, 3]])
        let p = try FeaturePreparation(transform: .log1p).fit(x, columnNames: ["spend", "n"])
        XCTAssertEqual(p.transforms, [.log1p, .log1p])
        XCTAssertThrowsError(try p.apply(x, columnNames: ["spend", "orders"])) {
            XCTAssertEqual($0 as? EngineError, .columnNamesMismatch(index: 1, expected: "n", found: "orders"))
            XCTAssertEqual("\($0)", "column_names[1]='orders' should be == 'n' (the column the preparation was fitted on)")
        }
        XCTAssertThrowsError(try p.apply(x, columnNames: ["spend"])) {
            XCTAssertEqual($0 as? EngineError, .columnNameCount(names: 1, columns: 2))
        }
        XCTAssertThrowsError(try p.apply(Matrix(rows: [[1]]), columnNames: ["spend"])) {
            XCTAssertEqual($0 as? EngineError, .shapeMismatch(name: "X", expectedRows: 1, expectedColumns: 2,
                                                              rows: 1, columns: 1))
        }
        // log1p of a new value below −1 is NaN: named, counted.
        XCTAssertThrowsError(try p.apply(Matrix(rows: [[-5, 1], [-3, 1], [2, .infinity]]), columnNames: ["spend", "n"])) {
            XCTAssertEqual($0 as? EngineError, .nonFinite(column: "spend", count: 2))
        }
        XCTAssertThrowsError(try p.apply(Matrix(rows: [[2, .infinity]]), columnNames: ["spend", "n"])) {
            XCTAssertEqual($0 as? EngineError, .nonFinite(column: "n", count: 1))
        }
    }

    func testModelRoundTripsThroughJSON() throws {
        let f = try EngineFixtures.load("prep_log1p_standard_winsor", as: PrepFixture.self)
        let x = Matrix(rows: f.rows, columns: f.columns, values: f.x)
        let p = try f.settings.fit(x, columnNames: f.columnNames)
        let data = try JSONEncoder().encode(p.model)
        let model = try JSONDecoder().decode(PreparationModel.self, from: data)
        XCTAssertEqual(model, p.model)
        XCTAssertEqual(try model.apply(x, columnNames: f.columnNames), p.matrix)
    }
}
