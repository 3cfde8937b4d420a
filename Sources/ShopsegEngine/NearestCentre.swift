/// Nearest-centre assignment of rows given by a raw row-major buffer, used by
/// mini-batch k-means for its batches and for the final labels on all of X
/// (scikit-learn `_labels_inertia`).
///
/// The argmin uses ‖c‖² − 2·x·c (the row's ‖x‖² does not change it), computed
/// with `cblas_dgemm` on chunks of 256 rows; ties go to the lowest centre index.
/// The squared distance to the chosen centre is then computed directly as
/// Σ(x − c)². Chunks run in parallel and partial sums are added in chunk order,
/// so results do not depend on the thread count.
enum NearestCentre {
    static let chunkSize = 256

    /// Writes `labels[i]` and (when given) `squaredDistances[i]` for rows
    /// `0..<rows` of `x` (rows × d) and returns Σ squared distances.
    static func assign(_ x: UnsafePointer<Double>, rows: Int, columns d: Int, centres: [Double], k: Int,
                       labels: UnsafeMutablePointer<Int>, squaredDistances: UnsafeMutablePointer<Double>?,
                       workers: Int) -> Double {
        let centreNorms = centres.withUnsafeBufferPointer {
            DistanceKernels.squaredRowNorms($0.baseAddress!, rows: k, columns: d)
        }
        let partials: [Double] = centres.withUnsafeBufferPointer { cb in
            let c = cb.baseAddress!
            return ChunkedParallel.map(count: rows, chunkSize: chunkSize, workers: workers) { _, r in
                let m = r.count
                var block = [Double](repeating: 0, count: m * k)
                for i in 0..<m { for j in 0..<k { block[i * k + j] = centreNorms[j] } }
                block.withUnsafeMutableBufferPointer { bb in
                    DistanceKernels.gemmABt(m: m, n: k, d: d, alpha: -2, a: x + r.lowerBound * d,
                                            b: c, beta: 1, out: bb.baseAddress!)
                }
                var s = 0.0
                for i in 0..<m {
                    var best = 0
                    var bestValue = block[i * k]
                    for j in 1..<max(k, 1) where block[i * k + j] < bestValue {
                        bestValue = block[i * k + j]
                        best = j
                    }
                    let row = r.lowerBound + i
                    labels[row] = best
                    let v = DistanceKernels.squaredDistance(x + row * d, c + best * d, d)
                    squaredDistances?[row] = v
                    s += v
                }
                return s
            }
        }
        return partials.reduce(0, +)
    }
}
