import CBLAS

/// Low-level distance kernels shared by k-means and the silhouette score.
/// All matrices are row-major `Double` buffers.
///
/// Threading: the engine parallelises over row chunks itself
/// (`ChunkedParallel`), so on first use of `gemmABt` it sets OpenBLAS to one
/// thread per call (`openblas_set_num_threads(1)`, process-wide). Threaded
/// OpenBLAS calls issued from several threads at once are serialised by OpenBLAS
/// and oversubscribe the cores; single-threaded calls run side by side.
enum DistanceKernels {
    /// Runs `openblas_set_num_threads(1)` exactly once.
    static let singleThreadedBLAS: Void = { openblas_set_num_threads(1) }()

    /// Squared Euclidean distance between two d-vectors, accumulated exactly as
    /// scikit-learn's `_euclidean_dense_dense` (blocks of 4, then the remainder).
    @inline(__always)
    static func squaredDistance(_ a: UnsafePointer<Double>, _ b: UnsafePointer<Double>, _ d: Int) -> Double {
        var result = 0.0
        var i = 0
        while i + 4 <= d {
            let t0 = a[i] - b[i], t1 = a[i + 1] - b[i + 1]
            let t2 = a[i + 2] - b[i + 2], t3 = a[i + 3] - b[i + 3]
            result += (t0 * t0 + t1 * t1 + t2 * t2 + t3 * t3)
            i += 4
        }
        while i < d {
            let t = a[i] - b[i]
            result += t * t
            i += 1
        }
        return result
    }

    /// Squared row norms of an n × d matrix, each summed left to right.
    static func squaredRowNorms(_ x: UnsafePointer<Double>, rows n: Int, columns d: Int) -> [Double] {
        (0..<n).map { r in
            var s = 0.0
            for c in 0..<d { let v = x[r * d + c]; s += v * v }
            return s
        }
    }

    /// `out[i, j] = beta·out[i, j] + alpha · a[i, :] · b[j, :]` for an m × d `a`
    /// and an n × d `b` (that is, `out = alpha·A·Bᵀ + beta·out`, m × n), via `cblas_dgemm`.
    static func gemmABt(m: Int, n: Int, d: Int, alpha: Double,
                        a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                        beta: Double, out: UnsafeMutablePointer<Double>) {
        _ = singleThreadedBLAS
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans,
                    blasint(m), blasint(n), blasint(d),
                    alpha, a, blasint(d), b, blasint(d),
                    beta, out, blasint(n))
    }

    /// `out = A·B + beta·out` for an m × inner `a` and an inner × n `b` (row-major, out m × n),
    /// via `cblas_dgemm`.
    static func gemmAB(m: Int, n: Int, inner: Int, a: UnsafePointer<Double>, b: UnsafePointer<Double>,
                       beta: Double, out: UnsafeMutablePointer<Double>) {
        _ = singleThreadedBLAS
        cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans,
                    blasint(m), blasint(n), blasint(inner),
                    1, a, blasint(inner), b, blasint(n),
                    beta, out, blasint(n))
    }

    /// The nearest of k centres for each row of `x[rows]`: the block ‖c_j‖² − 2·x_i·c_j by one
    /// dgemm (‖x_i‖² does not change the argmin), then the smallest per row, ties to the lower
    /// index. Shared by Lloyd's assignment step and the nearest-centre labelling.
    ///
    /// - Parameters:
    ///   - block: scratch of at least `rows.count · k` doubles (overwritten).
    ///   - labels: the chunk's labels (`rows.count` entries, for rows `rows`); each is replaced
    ///     by the row's nearest centre.
    /// - Returns: how many of those labels changed.
    @discardableResult
    static func nearestCentres(_ x: UnsafePointer<Double>, rows: Range<Int>, columns d: Int,
                               centres c: UnsafePointer<Double>, centreNorms: UnsafePointer<Double>, k: Int,
                               block: UnsafeMutablePointer<Double>, labels: UnsafeMutablePointer<Int>) -> Int {
        let m = rows.count
        for i in 0..<m { (block + i * k).update(from: centreNorms, count: k) }
        gemmABt(m: m, n: k, d: d, alpha: -2, a: x + rows.lowerBound * d, b: c, beta: 1, out: block)
        var changed = 0
        for i in 0..<m {
            let line = block + i * k
            var best = 0
            var bestValue = line[0]
            for j in 1..<max(k, 1) where line[j] < bestValue {
                bestValue = line[j]
                best = j
            }
            if labels[i] != best { changed += 1 }
            labels[i] = best
        }
        return changed
    }
}
