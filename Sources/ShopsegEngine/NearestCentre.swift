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
        let chunkCount = (rows + chunkSize - 1) / chunkSize
        let w = ChunkedParallel.workerCount(count: rows, chunkSize: chunkSize, workers: workers)
        var partials = [Double](repeating: 0, count: chunkCount)
        var blocks = [Double](repeating: 0, count: w * chunkSize * k)
        centres.withUnsafeBufferPointer { cb in
            centreNorms.withUnsafeBufferPointer { nb in
                partials.withUnsafeMutableBufferPointer { pb in
                    blocks.withUnsafeMutableBufferPointer { bb in
                        let c = cb.baseAddress!, norms = nb.baseAddress!, sums = pb.baseAddress!, scratch = bb.baseAddress!
                        ChunkedParallel.forEach(count: rows, chunkSize: chunkSize, workers: w) { worker, chunk, r in
                            DistanceKernels.nearestCentres(x, rows: r, columns: d, centres: c, centreNorms: norms, k: k,
                                                           block: scratch + worker * chunkSize * k,
                                                           labels: labels + r.lowerBound)
                            var s = 0.0
                            for row in r {
                                let v = DistanceKernels.squaredDistance(x + row * d, c + labels[row] * d, d)
                                squaredDistances?[row] = v
                                s += v
                            }
                            sums[chunk] = s
                        }
                    }
                }
            }
        }
        return partials.reduce(0, +)
    }
}
