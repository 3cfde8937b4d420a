/// Complete and average linkage on a condensed Euclidean distance matrix, updated
/// by the Lance–Williams formulas as SciPy (`_hierarchy.nn_chain` with
/// `_complete` / `_average`):
///
/// - complete: d(A∪B, C) = max(d(A, C), d(B, C));
/// - average (UPGMA): d(A∪B, C) = (|A|·d(A, C) + |B|·d(B, C)) / (|A| + |B|).
///
/// Memory: n(n − 1)/2 doubles (8·n²/2 bytes: 1.6 GB at n = 20,000), hence
/// `Agglomerative.maxCondensedSamples`. Time O(n²·d) to fill, O(n²) to cluster.
struct CondensedSpace: ChainSpace {
    enum Rule { case complete, average }

    let n: Int
    let rule: Rule
    let plan: ParallelMinimum.Plan
    /// d(i, j) for i < j at `index(i, j)`, indexed by cluster id.
    private var distances: [Double]
    private var sizes: [Int]
    /// Active cluster ids, ascending: scans then read each condensed row mostly
    /// in memory order (a removal shifts the ids after it, O(n) integers).
    private var idAt: [Int]
    private var count: Int { idAt.count }

    /// - Parameter x: n × d row-major points; Euclidean distances between them.
    init(points x: [Double], rows n: Int, columns d: Int, rule: Rule, plan: ParallelMinimum.Plan) {
        self.n = n
        self.rule = rule
        self.plan = plan
        self.distances = Self.condensedDistances(x, rows: n, columns: d, workers: plan.workers)
        self.sizes = [Int](repeating: 1, count: n)
        self.idAt = Array(0..<n)
    }

    /// SciPy `condensed_index`: position of d(i, j), i < j, in the condensed array.
    @inline(__always)
    static func index(_ n: Int, _ i: Int, _ j: Int) -> Int {
        let (a, b) = i < j ? (i, j) : (j, i)
        return n * a - a * (a + 1) / 2 + b - a - 1
    }

    /// `pdist(x, "euclidean")`: rows in chunks on all workers (each chunk writes
    /// its own rows of the condensed array).
    static func condensedDistances(_ x: [Double], rows n: Int, columns d: Int, workers: Int) -> [Double] {
        var out = [Double](repeating: 0, count: n * (n - 1) / 2)
        out.withUnsafeMutableBufferPointer { o in
            x.withUnsafeBufferPointer { xs in
                let shared = UncheckedSendable(value: (o.baseAddress!, xs.baseAddress!))
                _ = ChunkedParallel.map(count: n, chunkSize: 64, workers: workers) { _, rows in
                    let (o, xs) = shared.value
                    for i in rows {
                        var k = index(n, i, i + 1)
                        for j in (i + 1)..<max(i + 1, n) {
                            o[k] = DistanceKernels.squaredDistance(xs + i * d, xs + j * d, d).squareRoot()
                            k += 1
                        }
                    }
                    return 0
                }
            }
        }
        return out
    }

    func smallestActiveId() -> Int { idAt[0] }

    func value(_ x: Int, _ y: Int) -> Double { distances[Self.index(n, x, y)] }

    func height(_ value: Double) -> Double { value }

    func nearest(to x: Int) -> ParallelMinimum.Candidate {
        let n = self.n
        return distances.withUnsafeBufferPointer { dist in
            idAt.withUnsafeBufferPointer { ids in
                let dist = dist.baseAddress!, ids = ids.baseAddress!
                return ParallelMinimum.scan(count: count, plan: plan) { range in
                    var best = ParallelMinimum.Candidate.none
                    for p in range where ids[p] != x {
                        let v = dist[Self.index(n, x, ids[p])]
                        if v < best.value || (v == best.value && ids[p] < best.key) {
                            best = ParallelMinimum.Candidate(value: v, key: ids[p], position: p)
                        }
                    }
                    return best
                }
            }
        }
    }

    mutating func merge(_ a: Int, _ b: Int) {
        let sa = Double(sizes[a]), sb = Double(sizes[b])
        for p in 0..<count {
            let i = idAt[p]
            if i == a || i == b { continue }
            let ia = Self.index(n, i, a), ib = Self.index(n, i, b)
            switch rule {
            case .complete: distances[ib] = max(distances[ia], distances[ib])
            case .average: distances[ib] = (sa * distances[ia] + sb * distances[ib]) / (sa + sb)
            }
        }
        sizes[b] += sizes[a]
        // Binary search for a's position.
        var lo = 0, hi = idAt.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if idAt[mid] < a { lo = mid + 1 } else { hi = mid }
        }
        idAt.remove(at: lo)
    }
}
