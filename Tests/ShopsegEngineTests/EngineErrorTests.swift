import XCTest
@testable import ShopsegEngine

final class EngineErrorTests: XCTestCase {
    func testMessagesQuoteNamesAndValues() {
        XCTAssertEqual(EngineError.tooFewSamples(n: 3, k: 8).description, "n_samples=3 should be >= n_clusters=8")
        XCTAssertEqual(EngineError.emptyMatrix.description, "X is empty: n_samples=0; at least 1 sample is required")
        XCTAssertEqual(EngineError.noUsableColumns.description,
                       "no usable columns: every column was dropped (all values missing or zero variance)")
        XCTAssertEqual(EngineError.nonFinite(column: "views", count: 2).description,
                       "column 'views' has 2 non-finite value(s) (NaN or ±inf) after preparation")
        XCTAssertEqual(EngineError.nonFiniteInput(name: "X", count: 1, row: 4, column: 0).description,
                       "X contains 1 non-finite value(s) (NaN or ±inf), first at row=4, column=0")
        XCTAssertEqual(EngineError.invalidLabelCount(labels: 1, samples: 10).description,
                       "Number of labels is 1. Valid values are 2 to n_samples - 1 (inclusive) with n_samples=10")
        XCTAssertEqual(EngineError.columnNameCount(names: 2, columns: 3).description,
                       "len(column_names)=2 should be == n_features=3")
        XCTAssertEqual(EngineError.noFeatures(samples: 5).description,
                       "X has n_features=0 (n_samples=5); at least 1 feature is required")
    }
}
