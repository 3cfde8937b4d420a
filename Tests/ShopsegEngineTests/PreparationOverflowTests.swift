@testable import ShopsegEngine
import XCTest

/// Finite but enormous values must not be scaled into silence or into overflowing distances.
final class PreparationOverflowTests: XCTestCase {
    private let x = Matrix(rows: [[1, 5], [2, 6], [1e300, 7], [3, 8], [4, 9], [5, 1]])

    func testEnormousValuesNameTheColumnWithEveryScalerThatWouldOverflow() {
        let settings: [FeaturePreparation] = [
            FeaturePreparation(transform: .none, scaler: .standard),   // variance overflows: scale = inf
            FeaturePreparation(transform: .none, scaler: .robust),     // 1e300 / IQR (2.5) stays huge
            FeaturePreparation(transform: .none, scaler: .none),
        ]
        for preparation in settings {
            XCTAssertThrowsError(try preparation.fit(x, columnNames: ["a", "b"]), "\(preparation.scaler)") { error in
                XCTAssertEqual(error as? EngineError, .valueTooLarge(column: "a"))
                XCTAssertTrue("\(error)".contains("'a'"))
            }
        }
    }

    func testATransformOrMinMaxScalingTamesThem() throws {
        XCTAssertNoThrow(try FeaturePreparation(transform: .log1p).fit(x, columnNames: ["a", "b"]))
        let minMax = try FeaturePreparation(transform: .none, scaler: .minMax).fit(x, columnNames: ["a", "b"])
        XCTAssertEqual(minMax.matrix[2, 0], 1)
    }
}
