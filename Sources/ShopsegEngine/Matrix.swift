/// A dense matrix of `Double`, n × d, stored row-major.
///
/// `values[r * columns + c]` is the entry in row `r`, column `c`. Missing values
/// are represented by `.nan` (only `FeaturePreparation` accepts them).
///
/// ```swift
/// var m = Matrix(rows: [[1, 2], [3, 4]])
/// m[1, 0] = 5          // m.values == [1, 2, 5, 4]
/// ```
public struct Matrix: Equatable, Sendable {
    /// n, the number of rows (samples).
    public var rows: Int
    /// d, the number of columns (features).
    public var columns: Int
    /// The entries, row-major, `rows * columns` of them.
    public var values: [Double]

    /// Creates a matrix from row-major values.
    /// - Precondition: `rows ≥ 0`, `columns ≥ 0` and `values.count == rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(rows >= 0 && columns >= 0, "Matrix shape (\(rows), \(columns)) must be non-negative")
        precondition(values.count == rows * columns,
                     "Matrix values.count=\(values.count) should be == rows*columns=\(rows * columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// Creates a matrix from an array of rows; `[]` gives a 0 × 0 matrix.
    /// - Precondition: all rows have the same length.
    public init(rows: [[Double]]) {
        let d = rows.first?.count ?? 0
        for (i, row) in rows.enumerated() {
            precondition(row.count == d, "Matrix row \(i) has \(row.count) values; expected \(d)")
        }
        self.init(rows: rows.count, columns: d, values: rows.flatMap { $0 })
    }

    /// The entry at (`row`, `column`).
    /// - Precondition: `0 ≤ row < rows`, `0 ≤ column < columns`.
    public subscript(row: Int, column: Int) -> Double {
        get {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix index (\(row), \(column)) out of range for shape (\(rows), \(columns))")
            return values[row * columns + column]
        }
        set {
            precondition(row >= 0 && row < rows && column >= 0 && column < columns,
                         "Matrix index (\(row), \(column)) out of range for shape (\(rows), \(columns))")
            values[row * columns + column] = newValue
        }
    }

    /// Row `row` as an array of d values.
    public func row(_ row: Int) -> [Double] {
        precondition(row >= 0 && row < rows, "Matrix row \(row) out of range for \(rows) rows")
        return Array(values[(row * columns)..<((row + 1) * columns)])
    }

    /// The rows at `indices`, in that order: an m × d matrix (m = `indices.count`).
    /// - Precondition: every index is in `0..<rows`.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var picked = [Double]()
        picked.reserveCapacity(indices.count * columns)
        for r in indices {
            precondition(r >= 0 && r < rows, "Matrix row \(r) out of range for \(rows) rows")
            picked.append(contentsOf: values[(r * columns)..<((r + 1) * columns)])
        }
        return Matrix(rows: indices.count, columns: columns, values: picked)
    }

    /// Column `column` as an array of n values.
    public func column(_ column: Int) -> [Double] {
        precondition(column >= 0 && column < columns, "Matrix column \(column) out of range for \(columns) columns")
        return (0..<rows).map { values[$0 * columns + column] }
    }

    /// The first non-finite entry (row, column) and the number of non-finite entries, or nil.
    func firstNonFinite() -> (count: Int, row: Int, column: Int)? {
        var count = 0
        var first = -1
        for (i, v) in values.enumerated() where !v.isFinite {
            if first < 0 { first = i }
            count += 1
        }
        guard count > 0 else { return nil }
        return (count, first / columns, first % columns)
    }
}
