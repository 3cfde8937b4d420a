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

        // Tree nodes no wider than eps: their rows are pairwise neighbours.
        let compact = (index as? KDTree)?.compactNodes(maxSquaredDiameter: r2) ?? []

        // 1. Core flags: a row in a compact node of ≥ min_samples rows, or with
        //    ≥ min_samples neighbours in its own leaf, is core without a query;
        //    other rows count neighbours, stopping at min_samples.
        var known = [Bool](repeating: false, count: n)
        if let tree = index as? KDTree {
            for node in compact where tree.nodeEnd[node] - tree.nodeStart[node] >= minSamples {
                for p in tree.nodeStart[node]..<tree.nodeEnd[node] { known[p] = true }
            }
            if minSamples > 1 {
                let inLeaf = tree.inLeafNeighbourCounts(within: r2, workers: workers)
                for p in 0..<n where inLeaf[p] >= minSamples { known[p] = true }
            }
        }
        let isCore: [Bool] = ChunkedParallel.map(count: n, chunkSize: chunkSize, workers: workers) { _, range in
            range.map { p in
                known[p] || index.count(within: r2, of: points + p * d, limit: minSamples) >= minSamples
            }
        }.flatMap { $0 }

        // 2. Connected components of the core samples (edges: distance ≤ eps).
        let root = coreComponents(index, isCore: isCore, r2: r2, compact: compact, workers: workers)
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
}
