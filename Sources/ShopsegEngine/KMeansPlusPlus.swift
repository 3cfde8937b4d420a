import Foundation

/// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, "k-means++: the
/// advantages of careful seeding"), following scikit-learn's `_kmeans_plusplus`.
///
/// 1. The first centre is a row drawn uniformly at random.
/// 2. For each further centre, `2 + ⌊ln k⌋` candidate rows are drawn with
///    probability proportional to their squared distance to the closest chosen
///    centre (inverse-CDF sampling: first index whose running sum of squared
///    distances is ≥ u·potential, u uniform in [0, 1), clipped to n − 1); the
///    candidate that gives the lowest potential (sum of closest squared distances)
///    is kept, ties to the first drawn.
///
/// Nothing is divided by the potential: with fewer distinct rows than k it
/// reaches 0, every target u·0 = 0 selects row 0 (the first index whose running
/// sum is ≥ 0), and the duplicate centre is left for Lloyd's step (its cluster
/// stays empty and `KMeans` warns).
///
/// Squared distances are computed directly as Σ(x − c)², not via norms. Random
/// draws come from the given `Xoshiro256StarStar`, in this order: the first
/// index, then per step its trial uniforms.
///
/// Complexity: O(k · (2 + ln k) · n · d) time, O((2 + ln k) · n) memory.
enum KMeansPlusPlus {
    static let chunkSize = 256

    /// k × d initial centres (row-major) chosen among the rows of `data`.
    static func initialCentres(_ data: CenteredData, k: Int,
                               rng: inout Xoshiro256StarStar, workers: Int) -> [Double] {
        let n = data.rows, d = data.columns
        var centres = [Double](repeating: 0, count: k * d)
        let first = rng.uniformInt(below: n)
        for c in 0..<d { centres[c] = data.values[first * d + c] }
        let trials = trialCount(k: k)

        return data.values.withUnsafeBufferPointer { xb in
            let x = xb.baseAddress!
            // Closest squared distances to the first centre, and the potential.
            var closest = [Double](repeating: 0, count: n)
            var potential = 0.0
            closest.withUnsafeMutableBufferPointer { cb in
                let out = cb.baseAddress!
                let partials = ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, r in
                    var s = 0.0
                    for i in r {
                        let v = DistanceKernels.squaredDistance(x + i * d, x + first * d, d)
                        out[i] = v
                        s += v
                    }
                    return s
                }
                potential = partials.reduce(0, +)
            }
            if k == 1 { return centres }

            var trialDistances = [Double](repeating: 0, count: trials * n)
            var cumulative = [Double](repeating: 0, count: n)
            for step in 1..<k {
                var running = 0.0
                for i in 0..<n { running += closest[i]; cumulative[i] = running }
                var candidates = [Int](repeating: 0, count: trials)
                for t in 0..<trials {
                    let target = rng.uniform() * potential
                    candidates[t] = min(lowerBound(cumulative, target), n - 1)
                }
                let partials: [[Double]] = closest.withUnsafeBufferPointer { cl in
                    trialDistances.withUnsafeMutableBufferPointer { tb in
                        let closestP = cl.baseAddress!, out = tb.baseAddress!
                        return ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, r in
                            var pots = [Double](repeating: 0, count: trials)
                            for t in 0..<trials {
                                let cand = x + candidates[t] * d
                                let row = out + t * n
                                var s = 0.0
                                for i in r {
                                    let v = min(closestP[i], DistanceKernels.squaredDistance(x + i * d, cand, d))
                                    row[i] = v
                                    s += v
                                }
                                pots[t] = s
                            }
                            return pots
                        }
                    }
                }
                var pots = [Double](repeating: 0, count: trials)
                for p in partials { for t in 0..<trials { pots[t] += p[t] } }
                var best = 0
                for t in 1..<trials where pots[t] < pots[best] { best = t }
                potential = pots[best]
                for i in 0..<n { closest[i] = trialDistances[best * n + i] }
                let chosen = candidates[best]
                for c in 0..<d { centres[step * d + c] = data.values[chosen * d + c] }
            }
            return centres
        }
    }

    /// Candidates drawn per step: 2 + ⌊ln k⌋ (scikit-learn `n_local_trials=None`,
    /// `2 + int(np.log(n_clusters))`).
    static func trialCount(k: Int) -> Int { 2 + Int(log(Double(k))) }

    /// First index i with `sorted[i] >= value` (`numpy.searchsorted(side="left")`); `sorted.count` if none.
    static func lowerBound(_ sorted: [Double], _ value: Double) -> Int {
        var lo = 0, hi = sorted.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if sorted[mid] < value { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
