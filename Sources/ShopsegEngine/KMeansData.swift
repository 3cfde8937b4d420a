/// The k-means working copy of X: column means subtracted, as scikit-learn does
/// "for more accurate distance computations". Centres live in the same centred
/// frame until the result is built.
struct CenteredData: Sendable {
    /// n
    let rows: Int
    /// d
    let columns: Int
    /// n × d, row-major, X − mean(X, axis=0).
    let values: [Double]
    /// d column means of the original X.
    let mean: [Double]
    /// `tol`-scaled tolerance: `tol · mean(var(X, axis=0))` (population variances), 0 when tol = 0.
    let absoluteTolerance: Double

    /// Two passes over X (means, then centred values and variances), each summing rows in
    /// order; the centred copy is written once (no zero-fill or copy of X first).
    init(_ x: Matrix, tol: Double) {
        let n = x.rows, d = x.columns
        var mean = [Double](repeating: 0, count: d)
        var variance = [Double](repeating: 0, count: d)
        let centred = x.values.withUnsafeBufferPointer { xb -> [Double] in
            let source = xb.baseAddress!
            mean.withUnsafeMutableBufferPointer { m in
                for i in 0..<n { for c in 0..<d { m[c] += source[i * d + c] } }
                for c in 0..<d { m[c] /= Double(n) }
            }
            return [Double](unsafeUninitializedCapacity: n * d) { out, count in
                mean.withUnsafeBufferPointer { m in
                    variance.withUnsafeMutableBufferPointer { v in
                        for i in 0..<n {
                            for c in 0..<d {
                                let t = source[i * d + c] - m[c]
                                out[i * d + c] = t
                                v[c] += t * t
                            }
                        }
                    }
                }
                count = n * d
            }
        }
        let meanVariance = variance.reduce(0) { $0 + $1 / Double(n) } / Double(d)
        self.rows = n
        self.columns = d
        self.values = centred
        self.mean = mean
        self.absoluteTolerance = tol == 0 ? 0 : meanVariance * tol
    }

    /// Subtracts the column means from a k × d matrix of centres.
    func centre(_ m: Matrix) -> [Double] {
        var v = m.values
        for j in 0..<m.rows { for c in 0..<columns { v[j * columns + c] -= mean[c] } }
        return v
    }

    /// Adds the column means back to k × d centres.
    func uncentre(_ centres: [Double], k: Int) -> Matrix {
        var v = centres
        for j in 0..<k { for c in 0..<columns { v[j * columns + c] += mean[c] } }
        return Matrix(rows: k, columns: columns, values: v)
    }

    /// Number of distinct rows of X (exact comparison, −0 = +0). O(n·log n·d).
    func distinctRowCount() -> Int {
        guard rows > 1 else { return rows }
        let d = columns
        return values.withUnsafeBufferPointer { v in
            let order = (0..<rows).sorted { a, b in
                for c in 0..<d where v[a * d + c] != v[b * d + c] { return v[a * d + c] < v[b * d + c] }
                return false
            }
            var count = 1
            for t in 1..<order.count {
                let a = order[t - 1], b = order[t]
                if (0..<d).contains(where: { v[a * d + $0] != v[b * d + $0] }) { count += 1 }
            }
            return count
        }
    }
}
