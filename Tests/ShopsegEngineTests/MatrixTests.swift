import XCTest
@testable import ShopsegEngine

final class MatrixTests: XCTestCase {
    func testRowMajorLayoutAndSubscript() {
        var m = Matrix(rows: [[1, 2, 3], [4, 5, 6]])
        XCTAssertEqual(m.rows, 2)
        XCTAssertEqual(m.columns, 3)
        XCTAssertEqual(m.values, [1, 2, 3, 4, 5, 6])
        XCTAssertEqual(m[1, 0], 4)
        m[0, 2] = 9
        XCTAssertEqual(m.values, [1, 2, 9, 4, 5, 6])
        XCTAssertEqual(m.row(1), [4, 5, 6])
        XCTAssertEqual(m.column(2), [9, 6])
    }

    func testEmptyRowsGiveZeroByZero() {
        let m = Matrix(rows: [])
        XCTAssertEqual(m.rows, 0)
        XCTAssertEqual(m.columns, 0)
        XCTAssertEqual(m, Matrix(rows: 0, columns: 0, values: []))
    }

    func testFirstNonFiniteReportsCountAndPosition() {
        let m = Matrix(rows: [[1, 2], [.nan, 3], [4, .infinity]])
        let bad = m.firstNonFinite()
        XCTAssertEqual(bad?.count, 2)
        XCTAssertEqual(bad?.row, 1)
        XCTAssertEqual(bad?.column, 0)
        XCTAssertNil(Matrix(rows: [[1, 2]]).firstNonFinite())
    }
}
