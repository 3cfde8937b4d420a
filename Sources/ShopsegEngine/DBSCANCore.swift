/// The three passes of `DBSCAN.fit` over a radius index (see `DBSCAN` for the
/// semantics). Work happens in index *positions* (tree order, for locality) and is
/// mapped back to row indices at the end.
enum DBSCANCore {
    struct Outcome {
        /// n labels by row index: −1 noise, else 0 ..< clusterCount.
        var labels: [Int]
        /// Row indices of the core samples, ascending.
        var coreSampleIndices: [Int]
        var clusterCount: Int
    }

    /// Rows per parallel chunk.
    static let chunkSize = 512

    static func run<Index: RadiusNeighbourIndex>(_ index: Index, eps: Double, minSamples: Int,
                                                 workers: Int) -> Outcome {
        let n = index.count, d = index.dimension
        precondition(n < Int(Int32.max), "n_samples=\(n) should be < 2^31 - 1")
        let r2 = eps * eps
        let points = index.points

        // 1. Core flags: counting stops at min_samples, so dense regions stay cheap.
        let isCore: [Bool] = ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, range in
            range.map { p in index.count(within: r2, of: points + p * d, limit: minSamples) >= minSamples }
        }.flatMap { $0 }

        // 2. Connected components of the core samples (edges: distance ≤ eps).
        let root = coreComponents(index, isCore: isCore, r2: r2, workers: workers)
        // Clusters numbered by their smallest core row index: the order in which
        // scikit-learn's `dbscan_inner` starts expanding them.
        var clusterOfRoot = [Int](repeating: -1, count: n)
        var clusterAt = [Int](repeating: -1, count: n)     // by position; core samples only
        var clusterCount = 0
        var coreSampleIndices: [Int] = []
        for row in 0..<n {
            let p = index.positionOf[row]
            guard isCore[p] else { continue }
            coreSampleIndices.append(row)
            let r = root[p]
            if clusterOfRoot[r] < 0 {
                clusterOfRoot[r] = clusterCount
                clusterCount += 1
            }
            clusterAt[p] = clusterOfRoot[r]
        }

        // 3. Border rows take the lowest-numbered cluster among their core
        //    neighbours: scikit-learn expands whole clusters in number order, so that
        //    cluster reaches them first. Non-core rows have < min_samples neighbours.
        let labelAt: [Int] = ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, range in
            var found: [Int] = []
            return range.map { p -> Int in
                if isCore[p] { return clusterAt[p] }
                found.removeAll(keepingCapacity: true)
                index.neighbours(within: r2, of: points + p * d, from: 0, into: &found)
                var best = -1
                for q in found where isCore[q] && (best < 0 || clusterAt[q] < best) { best = clusterAt[q] }
                return best
            }
        }.flatMap { $0 }

        var labels = [Int](repeating: -1, count: n)
        for p in 0..<n { labels[index.order[p]] = labelAt[p] }
        return Outcome(labels: labels, coreSampleIndices: coreSampleIndices, clusterCount: clusterCount)
    }

    /// For each position, the root (a position) of its core component; meaningful
    /// for core samples only.
    ///
    /// Each core sample at position p is joined to the core samples within eps at
    /// positions > p (each pair is seen once). Positions are processed in waves of
    /// chunks; within a wave the chunks run in parallel and return candidate edges,
    /// which are then applied in chunk order (deterministic). To keep memory bounded
    /// even when eps covers most rows, a chunk drops an edge whose ends were already
    /// connected when the wave started (a snapshot of the roots) or earlier in the
    /// same chunk (a chunk-local union–find over those roots), so a chunk returns
    /// fewer edges than there are components, never one per neighbour pair.
    static func coreComponents<Index: RadiusNeighbourIndex>(_ index: Index, isCore: [Bool], r2: Double,
                                                            workers: Int) -> [Int] {
        let n = index.count, d = index.dimension
        let points = index.points
        var parent = Array(0..<n)
        func find(_ x: Int) -> Int {
            var x = x
            while parent[x] != x {
                parent[x] = parent[parent[x]]      // path halving
                x = parent[x]
            }
            return x
        }

        let chunksPerWave = max(1, 4 * workers)
        let waveRows = chunkSize * chunksPerWave
        // Chunk-local union–find per chunk slot of a wave, initialised lazily: an
        // entry is valid only when its stamp equals the chunk's stamp.
        let localParent = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, chunksPerWave * n))
        let stamp = UnsafeMutablePointer<Int32>.allocate(capacity: max(1, chunksPerWave * n))
        stamp.initialize(repeating: 0, count: max(1, chunksPerWave * n))
        defer {
            localParent.deallocate()
            stamp.deallocate()
        }
        var snapshot = [Int](repeating: 0, count: n)
        var wave = 0
        var waveStart = 0
        while waveStart < n {
            let waveEnd = min(n, waveStart + waveRows)
            // Neighbours are at positions ≥ waveStart: snapshot only those roots.
            for p in waveStart..<n where isCore[p] { snapshot[p] = find(p) }
            let start = waveStart, waveIndex = wave
            let edges = ChunkedParallel.map(count: waveEnd - start, chunkSize: chunkSize,
                                            workers: workers) { c, range -> [Int] in
                let lp = localParent + c * n, st = stamp + c * n
                let s = Int32(truncatingIfNeeded: waveIndex * chunksPerWave + c + 1)
                func localFind(_ x: Int) -> Int {
                    if st[x] != s {
                        st[x] = s
                        lp[x] = Int32(x)
                        return x
                    }
                    var x = x
                    while Int(lp[x]) != x {
                        lp[x] = lp[Int(lp[x])]
                        x = Int(lp[x])
                    }
                    return x
                }
                var out: [Int] = []
                var found: [Int] = []
                for offset in range {
                    let p = start + offset
                    guard isCore[p] else { continue }
                    let a = snapshot[p]
                    found.removeAll(keepingCapacity: true)
                    index.neighbours(within: r2, of: points + p * d, from: p + 1, into: &found)
                    for q in found where isCore[q] {
                        let b = snapshot[q]
                        if a == b { continue }
                        let ra = localFind(a), rb = localFind(b)
                        if ra != rb {
                            lp[ra] = Int32(rb)
                            out.append(a)
                            out.append(b)
                        }
                    }
                }
                return out
            }
            for chunkEdges in edges {
                var e = 0
                while e < chunkEdges.count {
                    let ra = find(chunkEdges[e]), rb = find(chunkEdges[e + 1])
                    if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                    e += 2
                }
            }
            waveStart = waveEnd
            wave += 1
        }
        for p in 0..<n { parent[p] = find(p) }
        return parent
    }
}
