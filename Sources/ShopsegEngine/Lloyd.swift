/// One run of Lloyd's algorithm (Lloyd 1982, "Least squares quantization in
/// PCM"), following scikit-learn's `_kmeans_single_lloyd` with dense input and
/// unit sample weights.
///
/// Each iteration assigns every row to its nearest centre and moves each centre
/// to the mean of its rows. Nearest centres come from the distance block
/// `‖c‖² − 2·x·c` (the row's `‖x‖²` does not change the argmin) computed with
/// `cblas_dgemm` on chunks of 256 rows; chunks run in parallel and their partial
/// sums are reduced in chunk order, so results do not depend on the thread count.
/// Ties go to the lowest centre index.
///
/// Stops at the first iteration whose labels equal the previous iteration's
/// ("strict convergence"), or whose total squared centre shift Σⱼ‖cⱼ′ − cⱼ‖² is
/// ≤ the absolute tolerance, or after `maxIter` iterations. Unless strictly
/// converged, a final assignment step makes labels match the returned centres; unlike
/// scikit-learn it also runs after strict convergence when that last iteration relocated
/// an empty cluster (fewer distinct rows than k), so labels always match the centres.
///
/// Empty clusters are relocated as scikit-learn `_relocate_empty_clusters_dense`:
/// the e empty clusters take, in index order, the e rows farthest from their
/// previous centre (largest distance first, ties by lower row index), each row's
/// contribution moving from its old cluster to the empty one; nothing happens
/// when every row sits on its centre. A cluster left with no weight is placed on
/// the centre of the heaviest cluster.
///
/// Complexity: O(maxIter · n · k · d) time, O(n + 256·k + k·d) memory per worker.
enum Lloyd {
    static let chunkSize = 256

    struct Outcome {
        /// k × d centres in the centred frame.
        var centres: [Double]
        var labels: [Int]
        /// n squared distances of each row to its centre.
        var squaredDistances: [Double]
        var inertia: Double
        var iterations: Int
        var converged: Bool
    }

    static func run(_ data: CenteredData, initialCentres: [Double], k: Int,
                    maxIter: Int, workers: Int) -> Outcome {
        let n = data.rows, d = data.columns
        var centres = initialCentres
        var labels = [Int](repeating: -1, count: n)
        var previous = labels
        var strict = false, converged = false, relocatedLast = false
        var iterations = 0

        for i in 0..<maxIter {
            iterations = i + 1
            var (sums, weights) = assign(data, centres: centres, k: k, labels: &labels,
                                         accumulate: true, workers: workers)
            relocatedLast = weights.contains(0)
            relocateEmptyClusters(data, oldCentres: centres, sums: &sums, weights: &weights, labels: labels, k: k)
            average(&sums, weights: weights, k: k, d: d)
            var shiftTotal = 0.0
            sums.withUnsafeBufferPointer { a in
                centres.withUnsafeBufferPointer { b in
                    for j in 0..<k {
                        let shift = DistanceKernels.squaredDistance(a.baseAddress! + j * d, b.baseAddress! + j * d, d).squareRoot()
                        shiftTotal += shift * shift
                    }
                }
            }
            centres = sums
            if labels == previous {
                strict = true
                converged = true
                break
            }
            if shiftTotal <= data.absoluteTolerance {
                converged = true
                break
            }
            previous = labels
        }
        // scikit-learn skips this after strict convergence; we also run it when the last
        // iteration relocated an empty cluster (possible only with fewer distinct rows than k),
        // so that every row is at its nearest returned centre — the stored model `assign`
        // uses must agree with the labels.
        if !strict || relocatedLast {
            _ = assign(data, centres: centres, k: k, labels: &labels, accumulate: false, workers: workers)
        }
        let (sq, inertia) = squaredDistances(data, centres: centres, labels: labels, workers: workers)
        return Outcome(centres: centres, labels: labels, squaredDistances: sq, inertia: inertia,
                       iterations: iterations, converged: converged)
    }

    /// Assignment step: writes each row's nearest centre into `labels`; when
    /// `accumulate`, also returns per-cluster coordinate sums (k × d) and weights (k).
    static func assign(_ data: CenteredData, centres: [Double], k: Int, labels: inout [Int],
                       accumulate: Bool, workers: Int) -> (sums: [Double], weights: [Double]) {
        let n = data.rows, d = data.columns
        let centreNorms = centres.withUnsafeBufferPointer {
            DistanceKernels.squaredRowNorms($0.baseAddress!, rows: k, columns: d)
        }
        let partials: [([Double], [Double])] = data.values.withUnsafeBufferPointer { xb in
            centres.withUnsafeBufferPointer { cb in
                labels.withUnsafeMutableBufferPointer { lb in
                    let x = xb.baseAddress!, c = cb.baseAddress!, out = lb.baseAddress!
                    return ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, r in
                        let nearest = DistanceKernels.nearestCentres(x, rows: r, columns: d, centres: c,
                                                                     centreNorms: centreNorms, k: k)
                        var sums = [Double](), weights = [Double]()
                        if accumulate {
                            sums = [Double](repeating: 0, count: k * d)
                            weights = [Double](repeating: 0, count: k)
                        }
                        for (i, best) in nearest.enumerated() {
                            let row = r.lowerBound + i
                            out[row] = best
                            if accumulate {
                                weights[best] += 1
                                for f in 0..<d { sums[best * d + f] += x[row * d + f] }
                            }
                        }
                        return (sums, weights)
                    }
                }
            }
        }
        guard accumulate else { return ([], []) }
        var sums = [Double](repeating: 0, count: k * d)
        var weights = [Double](repeating: 0, count: k)
        for (s, w) in partials {
            for t in 0..<(k * d) { sums[t] += s[t] }
            for j in 0..<k { weights[j] += w[j] }
        }
        return (sums, weights)
    }

    /// scikit-learn `_relocate_empty_clusters_dense` on sums (not yet averaged).
    static func relocateEmptyClusters(_ data: CenteredData, oldCentres: [Double], sums: inout [Double],
                                      weights: inout [Double], labels: [Int], k: Int) {
        let empty = (0..<k).filter { weights[$0] == 0 }
        guard !empty.isEmpty else { return }
        let n = data.rows, d = data.columns
        var distances = [Double](repeating: 0, count: n)
        for i in 0..<n {
            var s = 0.0
            for f in 0..<d {
                let t = data.values[i * d + f] - oldCentres[labels[i] * d + f]
                s += t * t
            }
            distances[i] = s
        }
        guard distances.max()! > 0 else { return }
        let far = (0..<n).sorted { distances[$0] > distances[$1] || (distances[$0] == distances[$1] && $0 < $1) }
        for (idx, newCluster) in empty.enumerated() where idx < n {
            let row = far[idx]
            let oldCluster = labels[row]
            for f in 0..<d {
                sums[oldCluster * d + f] -= data.values[row * d + f]
                sums[newCluster * d + f] = data.values[row * d + f]
            }
            weights[newCluster] = 1
            weights[oldCluster] -= 1
        }
    }

    /// scikit-learn `_average_centers`: sums → means (multiplying by 1/weight);
    /// weightless clusters go to the centre of the heaviest one (first on ties).
    static func average(_ sums: inout [Double], weights: [Double], k: Int, d: Int) {
        var heaviest = 0
        for j in 1..<max(k, 1) where weights[j] > weights[heaviest] { heaviest = j }
        for j in 0..<k where weights[j] > 0 {
            let alpha = 1.0 / weights[j]
            for f in 0..<d { sums[j * d + f] *= alpha }
        }
        for j in 0..<k where !(weights[j] > 0) {
            for f in 0..<d { sums[j * d + f] = sums[heaviest * d + f] }
        }
    }

    /// Per-row squared distance to the assigned centre and their sum (the inertia),
    /// summed per chunk and then over chunks in order.
    static func squaredDistances(_ data: CenteredData, centres: [Double], labels: [Int],
                                 workers: Int) -> ([Double], Double) {
        let n = data.rows, d = data.columns
        var sq = [Double](repeating: 0, count: n)
        let partials: [Double] = data.values.withUnsafeBufferPointer { xb in
            centres.withUnsafeBufferPointer { cb in
                sq.withUnsafeMutableBufferPointer { sb in
                    let x = xb.baseAddress!, c = cb.baseAddress!, out = sb.baseAddress!
                    return ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, r in
                        var s = 0.0
                        for i in r {
                            let v = DistanceKernels.squaredDistance(x + i * d, c + labels[i] * d, d)
                            out[i] = v
                            s += v
                        }
                        return s
                    }
                }
            }
        }
        return (sq, partials.reduce(0, +))
    }
}
