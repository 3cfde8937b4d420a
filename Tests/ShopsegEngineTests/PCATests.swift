import Foundation
import XCTest
@testable import ShopsegEngine

/// A `pca_*.json` case: sklearn.decomposition.PCA(svd_solver="full") (see make_prep_pca_fixtures.py).
private struct PCAFixture: Decodable {
    let name: String
    let rows: Int, columns: Int
    let nComponents: Int?
    let fraction: Double?
    let x: [Double]
    let nComponentsFitted: Int
    /// Components (and score columns) that are uniquely defined; later ones span a null space.
    let compareComponents: Int
    let mean: [Double]
    let components: [Double]
    let explainedVariance: [Double]
    let explainedVarianceRatio: [Double]
    let singularValues: [Double]
    let scores: [Double]
    let newRows: Int
    let xNew: [Double]
    let scoresNew: [Double]

    var matrix: Matrix { Matrix(rows: rows, columns: columns, values: x) }
    var setting: PCA.ComponentCount {
        if let c = nComponents { return .count(c) }
        if let f = fraction { return .varianceFraction(f) }
        return .all
    }
}

final class PCATests: XCTestCase {
    private static let cases = ["pca_count", "pca_fraction", "pca_rank_deficient", "pca_d1", "pca_wide"]

    private func assertAgree(_ a: [Double], _ b: [Double], rel: Double = 1e-9, _ what: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(a.count, b.count, what, file: file, line: line)
        for (i, (x, y)) in zip(a, b).enumerated() where !agrees(x, y, rel: rel) {
            XCTFail("\(what)[\(i)]: \(x) vs scikit-learn \(y)", file: file, line: line)
            return
        }
    }

    /// The first `count` columns of an m × k row-major matrix, row-major.
    private func leadingColumns(_ v: [Double], rows: Int, k: Int, count: Int) -> [Double] {
        (0..<rows).flatMap { r in v[(r * k)..<(r * k + count)] }
    }

    private func checkParity(_ f: PCAFixture, _ pca: PCA, file: StaticString = #filePath, line: UInt = #line) throws {
        let r = try pca.fit(f.matrix)
        let k = f.nComponentsFitted, c = f.compareComponents, d = f.columns
        XCTAssertEqual(r.components.rows, k, f.name, file: file, line: line)
        assertAgree(r.mean, f.mean, rel: 1e-12, "\(f.name) mean", file: file, line: line)
        assertAgree(r.explainedVariance, f.explainedVariance, "\(f.name) explained_variance_", file: file, line: line)
        assertAgree(r.explainedVarianceRatio, f.explainedVarianceRatio, "\(f.name) explained_variance_ratio_",
                    file: file, line: line)
        assertAgree(r.singularValues, f.singularValues, "\(f.name) singular_values_", file: file, line: line)
        assertAgree(Array(r.components.values[0..<(c * d)]), Array(f.components[0..<(c * d)]),
                    "\(f.name) components_", file: file, line: line)
        let scores = try r.transform(f.matrix)
        assertAgree(leadingColumns(scores.values, rows: f.rows, k: k, count: c),
                    leadingColumns(f.scores, rows: f.rows, k: k, count: c), "\(f.name) scores", file: file, line: line)
        let new = try r.transform(Matrix(rows: f.newRows, columns: d, values: f.xNew))
        assertAgree(leadingColumns(new.values, rows: f.newRows, k: k, count: c),
                    leadingColumns(f.scoresNew, rows: f.newRows, k: k, count: c), "\(f.name) new scores",
                    file: file, line: line)
    }

    // MARK: scikit-learn parity

    func testParityWithScikitLearnFullSolver() throws {
        for name in Self.cases {
            let f = try EngineFixtures.load(name, as: PCAFixture.self)
            try checkParity(f, PCA(nComponents: f.setting))
        }
    }

    func testTallSkinnyQRChunkingKeepsParityAndIsDeterministic() throws {
        for name in Self.cases {
            let f = try EngineFixtures.load(name, as: PCAFixture.self)
            var small = PCA(nComponents: f.setting)
            small.chunkSize = 1   // raised to d: many chunks, stacked R factors
            try checkParity(f, small)
            small.workerCount = 1
            let one = try small.fit(f.matrix)
            small.workerCount = 2
            let two = try small.fit(f.matrix)
            XCTAssertEqual(one.components, two.components, name)
            XCTAssertEqual(one.explainedVariance, two.explainedVariance, name)
            XCTAssertEqual(try one.transform(f.matrix).values, try two.transform(f.matrix).values, name)
        }
    }

    func testComponentsAreOrthonormal() throws {
        let f = try EngineFixtures.load("pca_fraction", as: PCAFixture.self)
        let r = try PCA().fit(f.matrix)
        let c = r.components, d = c.columns
        for a in 0..<c.rows {
            for b in 0..<c.rows {
                let dot = (0..<d).reduce(0.0) { $0 + c[a, $1] * c[b, $1] }
                XCTAssertEqual(dot, a == b ? 1 : 0, accuracy: 1e-12)
            }
        }
    }

    // MARK: hand-worked cases

    func testPointsOnALine() throws {
        // Rows 0, (3, 4), (6, 8): mean (3, 4); axis (0.6, 0.8); S² = 2·25 → variance 50 / 2 = 25.
        // The second axis ±(0.8, −0.6) has variance 0; the sign rule makes its largest entry 0.8 positive.
        let x = Matrix(rows: [[0, 0], [3, 4], [6, 8]])
        let r = try PCA().fit(x)
        XCTAssertEqual(r.mean, [3, 4])
        XCTAssertEqual(r.components[0, 0], 0.6, accuracy: 1e-15)
        XCTAssertEqual(r.components[0, 1], 0.8, accuracy: 1e-15)
        XCTAssertEqual(r.components[1, 0], 0.8, accuracy: 1e-15)
        XCTAssertEqual(r.components[1, 1], -0.6, accuracy: 1e-15)
        XCTAssertEqual(r.explainedVariance[0], 25, accuracy: 1e-13)
        XCTAssertEqual(r.explainedVariance[1], 0, accuracy: 1e-13)
        XCTAssertEqual(r.explainedVarianceRatio[0], 1, accuracy: 1e-15)
        let scores = try r.transform(x)
        XCTAssertEqual(scores.column(0)[0], -5, accuracy: 1e-13)
        XCTAssertEqual(scores.column(0)[2], 5, accuracy: 1e-13)
        XCTAssertEqual(try r.transform(Matrix(rows: [[3, 4]])).values, [0, 0])
    }

    func testSignRuleMakesLargestMagnitudeEntryPositive() {
        var vt: [Double] = [-0.6, 0.8, /**/ 0.8, -0.6, /**/ -0.8, 0.6, /**/ -0.6, -0.6]
        PCA.flipSigns(&vt, rows: 4, columns: 2)
        // Exact tie |−0.6| = |−0.6|: the first entry decides (numpy argmax).
        XCTAssertEqual(vt, [-0.6, 0.8, 0.8, -0.6, 0.8, -0.6, 0.6, 0.6])
    }

    func testVarianceFractionUsesStrictlyGreaterCumulativeRatio() throws {
        // Axis variances 9:1 (ratios 0.9, 0.1 up to rounding): 0.89 → 1 component, 0.91 → 2.
        let x = Matrix(rows: [[3, 0], [-3, 0], [0, 1], [0, -1]])
        XCTAssertEqual(try PCA(nComponents: .varianceFraction(0.89)).fit(x).components.rows, 1)
        XCTAssertEqual(try PCA(nComponents: .varianceFraction(0.91)).fit(x).components.rows, 2)
        XCTAssertEqual(try PCA(nComponents: .varianceFraction(0.999_999)).fit(x).components.rows, 2)
    }

    // MARK: edge cases

    func testSingleRow() throws {
        // scikit-learn reports NaN variances (0/0) and components_ [[1, 0, 0]]; we report 0 and warn.
        let x = Matrix(rows: [[1, 2, 3]])
        let r = try PCA().fit(x)
        XCTAssertEqual(r.components, Matrix(rows: [[1, 0, 0]]))
        XCTAssertEqual(r.explainedVariance, [0])
        XCTAssertEqual(r.explainedVarianceRatio, [0])
        XCTAssertEqual(r.warnings, ["n_samples=1: explained variance is undefined (n_samples - 1 = 0); reported as 0"])
        XCTAssertEqual(try r.transform(Matrix(rows: [[1, 2, 3], [2, 2, 2]])).values, [0, 1])   // as scikit-learn
        let plane = try PCA.plane(x)
        XCTAssertEqual(plane.pc1, [0])
        XCTAssertEqual(plane.pc2, [0])
    }

    func testConstantColumnsAndEqualRowsDoNotCrash() throws {
        let x = Matrix(rows: [[1, 5, 2], [2, 5, 4], [4, 5, 9], [3, 5, 1]])
        let r = try PCA().fit(x)
        XCTAssert(r.components.values.allSatisfy(\.isFinite))
        XCTAssertEqual(r.explainedVariance[2], 0, accuracy: 1e-12)
        XCTAssertEqual(r.components[0, 1], 0, accuracy: 1e-12)   // the constant column carries no weight
        XCTAssertEqual(r.components[1, 1], 0, accuracy: 1e-12)
        XCTAssertEqual(r.warnings, [])

        let flat = try PCA().fit(Matrix(rows: [[1, 5], [1, 5], [1, 5]]))
        XCTAssertEqual(flat.explainedVariance, [0, 0])
        XCTAssertEqual(flat.explainedVarianceRatio, [0, 0])
        XCTAssertEqual(flat.components, Matrix(rows: [[1, 0], [0, 1]]))
        XCTAssertEqual(flat.warnings, ["total variance is 0 (all rows equal); explained_variance_ratio reported as 0"])
    }

    func testPlaneCoordinates() throws {
        let f = try EngineFixtures.load("pca_count", as: PCAFixture.self)
        let plane = try PCA.plane(f.matrix)
        XCTAssertEqual(plane.model.components.rows, 2)
        let k = f.nComponentsFitted
        assertAgree(plane.pc1, (0..<f.rows).map { f.scores[$0 * k] }, "pc1")
        assertAgree(plane.pc2, (0..<f.rows).map { f.scores[$0 * k + 1] }, "pc2")

        // d = 1: pc1 = x − mean (component +1), pc2 = 0.
        let line = try PCA.plane(Matrix(rows: [[1], [2], [6]]))
        XCTAssertEqual(line.model.components, Matrix(rows: [[1]]))
        XCTAssertEqual(line.pc1, [-2, -1, 3])
        XCTAssertEqual(line.pc2, [0, 0, 0])
        let new = try line.model.planeCoordinates(Matrix(rows: [[10]]))
        XCTAssertEqual(new.pc1, [7])
        XCTAssertEqual(new.pc2, [0])
    }

    func testInvalidSettingsAndInputs() throws {
        let x = Matrix(rows: [[1, 2], [3, 5], [4, 4]])
        XCTAssertThrowsError(try PCA(nComponents: .count(3)).fit(x)) {
            XCTAssertEqual($0 as? EngineError, .invalidParameter(name: "n_components", value: "3",
                                                                  rule: "between 1 and min(n_samples, n_features)=2"))
            XCTAssertEqual("\($0)", "n_components=3 should be between 1 and min(n_samples, n_features)=2")
        }
        XCTAssertThrowsError(try PCA(nComponents: .count(0)).fit(x))
        XCTAssertThrowsError(try PCA(nComponents: .count(2)).fit(Matrix(rows: [[1, 2, 3]])))   // min(n, d) = 1
        for f in [0, 1, -0.5, Double.nan] {
            XCTAssertThrowsError(try PCA(nComponents: .varianceFraction(f)).fit(x)) {
                guard case .invalidParameter(name: "n_components", _, _)? = $0 as? EngineError else { return XCTFail("\($0)") }
            }
        }
        XCTAssertThrowsError(try PCA().fit(Matrix(rows: 0, columns: 2, values: []))) {
            XCTAssertEqual($0 as? EngineError, .emptyMatrix)
        }
        XCTAssertThrowsError(try PCA().fit(Matrix(rows: [[1, .nan]]))) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteInput(name: "X", count: 1, row: 0, column: 1))
        }
        let r = try PCA().fit(x)
        XCTAssertThrowsError(try r.transform(Matrix(rows: [[1, 2, 3]]))) {
            XCTAssertEqual($0 as? EngineError, .shapeMismatch(name: "X", expectedRows: 1, expectedColumns: 2, rows: 1, columns: 3))
        }
        XCTAssertThrowsError(try r.transform(Matrix(rows: [[1, .infinity]])))
        XCTAssertEqual(try r.transform(Matrix(rows: 0, columns: 2, values: [])), Matrix(rows: 0, columns: 2, values: []))
    }
}
