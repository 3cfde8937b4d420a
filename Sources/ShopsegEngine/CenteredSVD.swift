import CBLAS

/// The thin SVD of a centred tall matrix, computed without copying it whole:
/// a one-level TSQR ("tall-skinny QR", Demmel et al. 2012, "Communication-optimal
/// parallel and sequential QR and LU factorizations").
///
/// Rows are cut into fixed chunks (`ChunkedParallel`); each chunk is centred into
/// a small column-major buffer and reduced to its R factor with `LAPACKE_dgeqrf`
/// (Householder QR, backward stable). The stacked R factors (at most
/// chunks·d rows) have the same singular values and right singular vectors as the
/// whole centred matrix; `LAPACKE_dgesdd` on the stack gives them. This is as
/// accurate as an SVD of the full centred matrix (LAPACK's own tall-matrix path is
/// QR then SVD of R) but needs O(chunk·d) extra memory per worker instead of
/// O(n·d), and unlike an eigendecomposition of the covariance XᵀX it does not
/// square the condition number (small variances keep their relative accuracy).
///
/// Deterministic: the chunk cut depends only on n and the chunk size, and the
/// stack is assembled in chunk order, so the result is bitwise identical whatever
/// the worker count.
enum CenteredSVD {
    struct Output {
        /// p = min(n, d) singular values, descending.
        var singularValues: [Double]
        /// p × d right singular vectors, row-major (rows are unit vectors).
        var vt: [Double]
    }

    /// SVD of (x − mean) for an n × d row-major x with n ≥ 1, d ≥ 1.
    /// - Precondition: `chunkSize ≥ d` (so every chunk but the last contributes d rows).
    static func compute(_ x: Matrix, mean: [Double], chunkSize: Int, workers: Int) -> Output {
        let n = x.rows, d = x.columns
        precondition(chunkSize >= d, "chunkSize=\(chunkSize) should be >= n_features=\(d)")
        _ = DistanceKernels.singleThreadedBLAS
        let factors: [[Double]] = x.values.withUnsafeBufferPointer { buffer in
            let shared = UncheckedSendable(value: buffer)
            return ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, rows in
                rFactor(shared.value, d: d, rows: rows, mean: mean)
            }
        }
        // Stack the R factors (each r_c × d, row-major) into one column-major matrix.
        let stackRows = factors.reduce(0) { $0 + $1.count / d }
        var stack = [Double](repeating: 0, count: stackRows * d)
        var offset = 0
        for r in factors {
            let rows = r.count / d
            for i in 0..<rows {
                for j in 0..<d { stack[j * stackRows + offset + i] = r[i * d + j] }
            }
            offset += rows
        }
        let p = min(stackRows, d)
        var s = [Double](repeating: 0, count: p)
        var u = [Double](repeating: 0, count: stackRows * p)
        var vtColumnMajor = [Double](repeating: 0, count: p * d)
        let info = LAPACKE_dgesdd(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")),
                                  Int32(stackRows), Int32(d), &stack, Int32(stackRows),
                                  &s, &u, Int32(stackRows), &vtColumnMajor, Int32(p))
        precondition(info == 0, "LAPACKE_dgesdd failed: info=\(info)")
        var vt = [Double](repeating: 0, count: p * d)
        for i in 0..<p {
            for j in 0..<d { vt[i * d + j] = vtColumnMajor[j * p + i] }
        }
        return Output(singularValues: s, vt: vt)
    }

    /// The R factor (min(m, d) × d, row-major, zero below the diagonal) of the
    /// centred rows `rows` of x.
    private static func rFactor(_ x: UnsafeBufferPointer<Double>, d: Int, rows: Range<Int>,
                                mean: [Double]) -> [Double] {
        let m = rows.count
        var a = [Double](repeating: 0, count: m * d)   // column-major m × d
        for (i, row) in rows.enumerated() {
            let base = row * d
            for j in 0..<d { a[j * m + i] = x[base + j] - mean[j] }
        }
        let r = min(m, d)
        var tau = [Double](repeating: 0, count: r)
        let info = LAPACKE_dgeqrf(LAPACK_COL_MAJOR, Int32(m), Int32(d), &a, Int32(m), &tau)
        precondition(info == 0, "LAPACKE_dgeqrf failed: info=\(info)")
        var out = [Double](repeating: 0, count: r * d)
        for i in 0..<r {
            for j in i..<d { out[i * d + j] = a[j * m + i] }
        }
        return out
    }
}
