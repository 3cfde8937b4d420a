/// The linear sum assignment problem (Hungarian method): match rows to columns so that the
/// total cost of the matched pairs is minimal (or maximal), each row and column used at most once.
///
/// Same problem and result as `scipy.optimize.linear_sum_assignment`: for an r × c matrix,
/// min(r, c) pairs are returned, sorted by row. Solved by shortest augmenting paths with
/// potentials (Jonker & Volgenant 1987; the rectangular form of Crouse 2016, which scipy uses).
///
/// ```swift
/// let pairs = try LinearSumAssignment.solve(cost: Matrix(rows: [[4, 1, 3], [2, 0, 5], [3, 2, 2]]))
/// // pairs.map(\.column) == [1, 0, 2]   (total cost 5)
/// ```
///
/// Complexity: O(r² · c) time for r ≤ c, O(r + c) memory besides the matrix.
public enum LinearSumAssignment {
    /// One matched pair.
    public struct Pair: Sendable, Equatable {
        public let row: Int
        public let column: Int
    }

    /// - Parameters:
    ///   - cost: r × c, every value finite (r or c may be 0).
    ///   - maximize: when true, the total is maximised instead (scipy's `maximize=True`).
    /// - Returns: min(r, c) pairs in row order.
    /// - Throws: `EngineError.nonFiniteInput(name: "cost", …)` when a cost is NaN or ±inf.
    public static func solve(cost: Matrix, maximize: Bool = false) throws -> [Pair] {
        if let bad = cost.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "cost", count: bad.count, row: bad.row, column: bad.column)
        }
        guard cost.rows > 0, cost.columns > 0 else { return [] }
        // Work on a matrix with no more rows than columns; transpose back at the end.
        let transposed = cost.rows > cost.columns
        let r = transposed ? cost.columns : cost.rows
        let c = transposed ? cost.rows : cost.columns
        let sign = maximize ? -1.0 : 1.0
        func entry(_ i: Int, _ j: Int) -> Double {
            sign * (transposed ? cost[j, i] : cost[i, j])
        }

        var u = [Double](repeating: 0, count: r)        // row potentials
        var v = [Double](repeating: 0, count: c)        // column potentials
        var rowOfColumn = [Int](repeating: -1, count: c)
        var columnOfRow = [Int](repeating: -1, count: r)
        var shortest = [Double](repeating: .infinity, count: c)
        var previousRow = [Int](repeating: -1, count: c)
        var visitedColumn = [Bool](repeating: false, count: c)

        for start in 0..<r {
            for j in 0..<c { shortest[j] = .infinity; visitedColumn[j] = false; previousRow[j] = -1 }
            var i = start, minValue = 0.0, sink = -1
            // Dijkstra over reduced costs until an unassigned column is reached.
            while sink == -1 {
                var lowest = Double.infinity, lowestColumn = -1
                for j in 0..<c where !visitedColumn[j] {
                    let reduced = minValue + entry(i, j) - u[i] - v[j]
                    if reduced < shortest[j] { shortest[j] = reduced; previousRow[j] = i }
                    // Prefer an unassigned column on ties so paths stay short (as scipy).
                    if shortest[j] < lowest || (shortest[j] == lowest && rowOfColumn[j] == -1) {
                        lowest = shortest[j]
                        lowestColumn = j
                    }
                }
                minValue = lowest
                visitedColumn[lowestColumn] = true
                if rowOfColumn[lowestColumn] == -1 {
                    sink = lowestColumn
                } else {
                    i = rowOfColumn[lowestColumn]
                }
            }
            // Update potentials along the visited tree.
            u[start] += minValue
            for j in 0..<c where visitedColumn[j] && j != sink {
                let row = rowOfColumn[j]
                u[row] += minValue - shortest[j]
                v[j] -= minValue - shortest[j]
            }
            // Augment along the path back to the start row.
            var j = sink
            while true {
                let row = previousRow[j]
                rowOfColumn[j] = row
                let next = columnOfRow[row]
                columnOfRow[row] = j
                if row == start { break }
                j = next
            }
        }
        let pairs = (0..<r).map { transposed ? Pair(row: columnOfRow[$0], column: $0) : Pair(row: $0, column: columnOfRow[$0]) }
        return pairs.sorted { $0.row < $1.row }
    }
}
