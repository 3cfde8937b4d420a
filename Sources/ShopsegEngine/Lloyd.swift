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
/// Complexity: O(maxIter · n · k · d) time; O(n + workers·256·k + ⌈n/256⌉·(k·d + k)) memory,
/// allocated once per run (no allocation per chunk or per iteration beyond the k × d centres).
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
        let d = data.columns
        var centres = initialCentres
        var labels = [Int](repeating: -1, count: data.rows)
        var workspace = Workspace(rows: data.rows, k: k, d: d, workers: workers)
        var strict = false, converged = false, relocatedLast = false
        var iterations = 0

        for i in 0..<maxIter {
            iterations = i + 1
            // Strict convergence: no label changed (the first pass changes every -1).
            let changed = assign(data, centres: centres, k: k, labels: &labels, accumulate: true,
                                 workspace: &workspace)
            var sums = workspace.sums, weights = workspace.weights
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
            if changed == 0 {
                strict = true
                converged = true
                break
            }
            if shiftTotal <= data.absoluteTolerance {
                converged = true
                break
            }
        }
        // scikit-learn skips this after strict convergence; we also run it when the last
        // iteration relocated an empty cluster (possible only with fewer distinct rows than k),
        // so that every row is at its nearest returned centre — the stored model `assign`
        // uses must agree with the labels.
        if !strict || relocatedLast {
            _ = assign(data, centres: centres, k: k, labels: &labels, accumulate: false, workspace: &workspace)
        }
        let (sq, inertia) = squaredDistances(data, centres: centres, labels: labels, workers: workers)
        return Outcome(centres: centres, labels: labels, squaredDistances: sq, inertia: inertia,
                       iterations: iterations, converged: converged)
    }

    /// Buffers of one run, allocated once and reused by every assignment step: one distance
    /// block per worker, one slot of partial sums per chunk (k × d sums then k weights), and
    /// the reduced sums and weights.
    struct Workspace {
        let workers: Int
        var blocks: [Double]
        var partials: [Double]
        var changedPerChunk: [Int]
        var sums: [Double]
        var weights: [Double]

        init(rows n: Int, k: Int, d: Int, workers: Int) {
            self.workers = ChunkedParallel.workerCount(count: n, chunkSize: Lloyd.chunkSize, workers: workers)
            let chunkCount = (n + Lloyd.chunkSize - 1) / Lloyd.chunkSize
            blocks = [Double](repeating: 0, count: self.workers * Lloyd.chunkSize * k)
            partials = [Double](repeating: 0, count: chunkCount * (k * d + k))
            changedPerChunk = [Int](repeating: 0, count: chunkCount)
            sums = [Double](repeating: 0, count: k * d)
            weights = [Double](repeating: 0, count: k)
        }
    }

    /// Assignment step: writes each row's nearest centre into `labels` and returns how many
    /// labels changed; when `accumulate`, also leaves the per-cluster coordinate sums (k × d)
    /// and weights (k) in `workspace.sums` / `.weights`. Each chunk sums its rows in row order
    /// into its own slot and the slots are added in chunk order, so the sums do not depend on
    /// the thread count.
    static func assign(_ data: CenteredData, centres: [Double], k: Int, labels: inout [Int],
                       accumulate: Bool, workspace: inout Workspace) -> Int {
        let n = data.rows, d = data.columns
        let stride = k * d + k
        let centreNorms = centres.withUnsafeBufferPointer {
            DistanceKernels.squaredRowNorms($0.baseAddress!, rows: k, columns: d)
        }
        let w = workspace.workers
        data.values.withUnsafeBufferPointer { xb in
            centres.withUnsafeBufferPointer { cb in
                centreNorms.withUnsafeBufferPointer { nb in
                    labels.withUnsafeMutableBufferPointer { lb in
                        workspace.blocks.withUnsafeMutableBufferPointer { bb in
                            workspace.partials.withUnsafeMutableBufferPointer { pb in
                                workspace.changedPerChunk.withUnsafeMutableBufferPointer { chb in
                                    let x = xb.baseAddress!, c = cb.baseAddress!, norms = nb.baseAddress!
                                    let out = lb.baseAddress!, scratch = bb.baseAddress!
                                    let slots = pb.baseAddress!, changed = chb.baseAddress!
                                    ChunkedParallel.forEach(count: n, chunkSize: chunkSize, workers: w) { worker, chunk, r in
                                        changed[chunk] = DistanceKernels.nearestCentres(
                                            x, rows: r, columns: d, centres: c, centreNorms: norms, k: k,
                                            block: scratch + worker * chunkSize * k, labels: out + r.lowerBound)
                                        guard accumulate else { return }
                                        let sums = slots + chunk * stride, weights = sums + k * d
                                        sums.update(repeating: 0, count: stride)
                                        for row in r {
                                            let best = out[row]
                                            weights[best] += 1
                                            let target = sums + best * d, source = x + row * d
                                            for f in 0..<d { target[f] += source[f] }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        let changed = workspace.changedPerChunk.reduce(0, +)
        guard accumulate else { return changed }
        let kd = k * d
        workspace.partials.withUnsafeBufferPointer { pb in
            workspace.sums.withUnsafeMutableBufferPointer { sb in
                workspace.weights.withUnsafeMutableBufferPointer { wb in
                    sb.update(repeating: 0)
                    wb.update(repeating: 0)
                    for chunk in 0..<workspace.changedPerChunk.count {
                        let slot = pb.baseAddress! + chunk * stride
                        for t in 0..<kd { sb[t] += slot[t] }
                        for j in 0..<k { wb[j] += slot[kd + j] }
                    }
                }
            }
        }
        return changed
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
