@testable import ShopsegEngine
import XCTest

final class LinearSumAssignmentTests: XCTestCase {
    /// The best total over every injective row → column map, by brute force (the oracle).
    private func bruteForce(_ cost: Matrix, maximize: Bool) -> Double {
        let transposed = cost.rows > cost.columns
        let r = min(cost.rows, cost.columns), c = max(cost.rows, cost.columns)
        func value(_ i: Int, _ j: Int) -> Double { transposed ? cost[j, i] : cost[i, j] }
        var best = maximize ? -Double.infinity : Double.infinity
        var used = [Bool](repeating: false, count: c)
        func search(_ i: Int, _ total: Double) {
            if i == r { best = maximize ? max(best, total) : min(best, total); return }
            for j in 0..<c where !used[j] {
                used[j] = true
                search(i + 1, total + value(i, j))
                used[j] = false
            }
        }
        search(0, 0)
        return best
    }

    private func total(_ cost: Matrix, _ pairs: [LinearSumAssignment.Pair]) -> Double {
        pairs.reduce(0) { $0 + cost[$1.row, $1.column] }
    }

    func testWorkedExample() throws {
        // scipy's docstring example: rows → columns [1, 0, 2], total 5.
        let cost = Matrix(rows: [[4, 1, 3], [2, 0, 5], [3, 2, 2]])
        let pairs = try LinearSumAssignment.solve(cost: cost)
        XCTAssertEqual(pairs.map(\.column), [1, 0, 2])
        XCTAssertEqual(total(cost, pairs), 5)
    }

    func testMatchesBruteForceOnRandomSquareAndRectangularMatrices() throws {
        var rng = Xoshiro256StarStar(seed: 11)
        for (rows, columns) in [(1, 1), (3, 3), (5, 5), (6, 6), (3, 6), (6, 3), (2, 5), (7, 4)] {
            for _ in 0..<5 {
                // Small integers make ties common: the optimum must still be found.
                let values = (0..<(rows * columns)).map { _ in Double(rng.next() % 10) }
                let cost = Matrix(rows: rows, columns: columns, values: values)
                for maximize in [false, true] {
                    let pairs = try LinearSumAssignment.solve(cost: cost, maximize: maximize)
                    XCTAssertEqual(pairs.count, min(rows, columns))
                    XCTAssertEqual(Set(pairs.map(\.row)).count, pairs.count, "each row once")
                    XCTAssertEqual(Set(pairs.map(\.column)).count, pairs.count, "each column once")
                    XCTAssertEqual(pairs.map(\.row), pairs.map(\.row).sorted())
                    XCTAssertEqual(total(cost, pairs), bruteForce(cost, maximize: maximize), "\(rows)×\(columns) maximize=\(maximize)")
                }
            }
        }
    }

    func testEmptyAndNonFiniteInput() throws {
        XCTAssertEqual(try LinearSumAssignment.solve(cost: Matrix(rows: 0, columns: 3, values: [])), [])
        XCTAssertThrowsError(try LinearSumAssignment.solve(cost: Matrix(rows: [[1, .nan]]))) { error in
            XCTAssertEqual(error as? EngineError, .nonFiniteInput(name: "cost", count: 1, row: 0, column: 1))
        }
    }
}
