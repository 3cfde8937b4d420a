/// A fitted feature preparation without its data: re-applies the stored imputation
/// values, clip bounds, transforms, centres and scales to new rows (for example to
/// assign new users to existing segments without reclustering).
///
/// `Codable`, holding only names and plain numbers, so it can be persisted next to a
/// clustering model.
public struct PreparationModel: Sendable, Equatable, Codable {
    /// The d input column names the preparation was fitted on, in order.
    public let inputColumnNames: [String]
    /// The d′ kept columns, in input order.
    public let columns: [PreparedColumn]

    public init(inputColumnNames: [String], columns: [PreparedColumn]) {
        self.inputColumnNames = inputColumnNames
        self.columns = columns
    }

    /// Prepares new rows exactly as the fitted rows were prepared.
    ///
    /// Applied to the matrix it was fitted on, the result equals
    /// `PreparedFeatures.matrix` bit for bit. Dropped columns are ignored. Missing
    /// values (NaN) get the stored imputed value; no statistic is recomputed.
    ///
    /// - Parameters:
    ///   - raw: m × d, row-major, the ORIGINAL columns (NaN = missing); m may be 0.
    ///   - columnNames: the d names, equal to `inputColumnNames` (same order).
    /// - Returns: m × d′, row-major.
    /// - Throws: `EngineError.columnNameCount` when `columnNames.count ≠ raw.columns`;
    ///   `.shapeMismatch` when `raw.columns ≠ inputColumnNames.count`;
    ///   `.columnNamesMismatch` when a name differs;
    ///   `.nonFinite(column:count:)` when a kept column has ±inf input or a non-finite
    ///   prepared value (e.g. `log1p` of a new value below −1 in a column that was
    ///   non-negative at fit time), naming the first such column.
    ///
    /// Complexity: O(m·d′) time (row chunks in parallel) and memory.
    public func apply(_ raw: Matrix, columnNames: [String]) throws -> Matrix {
        guard columnNames.count == raw.columns else {
            throw EngineError.columnNameCount(names: columnNames.count, columns: raw.columns)
        }
        guard raw.columns == inputColumnNames.count else {
            throw EngineError.shapeMismatch(name: "X", expectedRows: raw.rows, expectedColumns: inputColumnNames.count,
                                            rows: raw.rows, columns: raw.columns)
        }
        for (i, (a, b)) in zip(columnNames, inputColumnNames).enumerated() where a != b {
            throw EngineError.columnNamesMismatch(index: i, expected: b, found: a)
        }
        let m = raw.rows, d = raw.columns, k = columns.count
        var out = [Double](repeating: 0, count: m * k)
        let kept = columns
        // Row chunks in parallel, row-major inside (sequential memory access); each
        // chunk counts its non-finite values per column, summed in chunk order.
        let badCounts: [[Int]] = raw.values.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                let shared = UncheckedSendable(value: (x, y))
                return ChunkedParallel.map(count: m, chunkSize: 8192, workers: ChunkedParallel.defaultWorkerCount) { _, rows in
                    let (x, y) = shared.value
                    var bad = [Int](repeating: 0, count: k)
                    kept.withUnsafeBufferPointer { kept in
                        for i in rows {
                            for j in 0..<k {
                                let v = x[i * d + kept[j].inputIndex]
                                let p = kept[j].apply(v)
                                if v.isInfinite || !p.isFinite { bad[j] += 1 }
                                y[i * k + j] = p
                            }
                        }
                    }
                    return bad
                }
            }
        }
        var bad = [Int](repeating: 0, count: k)
        for chunk in badCounts {
            for j in 0..<k { bad[j] += chunk[j] }
        }
        if let j = bad.firstIndex(where: { $0 > 0 }) {
            throw EngineError.nonFinite(column: columns[j].name, count: bad[j])
        }
        return Matrix(rows: m, columns: k, values: out)
    }
}
