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
                let nearest = DistanceKernels.nearestCentres(x, rows: r, columns: d, centres: c, centreNorms: centreNorms, k: k)
                var s = 0.0
                for (i, best) in nearest.enumerated() {
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
