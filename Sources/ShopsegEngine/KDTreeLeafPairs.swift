/// Work done inside single k-d tree leaves, all pairs at once, before any tree
/// query: in dense regions a leaf (≤ 40 rows) often already holds `min_samples`
/// neighbours of a row, and its core samples are often already connected. Used by
/// `DBSCANCore` to skip most queries. Leaves are processed in parallel chunks;
/// results are in leaf (position) order, independent of the thread count.
extension KDTree {
    /// Leaf node indices in increasing position order.
    var leavesInOrder: [Int] {
        (0..<nodeCount).filter { nodeLeft[$0] < 0 && nodeEnd[$0] > nodeStart[$0] }
            .sorted { nodeStart[$0] < nodeStart[$1] }
    }

    /// For each position, the rows of its own leaf within squared radius `r2`
    /// (itself included): a lower bound of its neighbour count.
    func inLeafNeighbourCounts(within r2: Double, workers: Int) -> [Int] {
        let leaves = leavesInOrder
        let perChunk: [[Int]] = ChunkedParallel.map(count: leaves.count, chunkSize: 64, workers: workers) { _, range in
            var counts: [Int] = []
            for leaf in leaves[range] {
                let start = nodeStart[leaf], end = nodeEnd[leaf]
                let base = counts.count
                counts.append(contentsOf: repeatElement(1, count: end - start))
                for i in start..<end {
                    let qi = points + i * dimension
                    for j in (i + 1)..<end where squaredDistance(qi, position: j) <= r2 {
                        counts[base + i - start] += 1
                        counts[base + j - start] += 1
                    }
                }
            }
            return counts
        }
        // Leaves tile 0..<count in order, so the chunks concatenate to positions.
        return perChunk.flatMap { $0 }
    }

    /// Pairs (p, q) of positions, flattened, that join the core samples within
    /// squared radius `r2` of each other inside each leaf: a spanning forest per
    /// leaf (a pair is kept only when it joins two groups not yet joined).
    func inLeafCoreEdges(isCore: [Bool], within r2: Double, workers: Int) -> [Int] {
        let leaves = leavesInOrder
        return ChunkedParallel.map(count: leaves.count, chunkSize: 64, workers: workers) { _, range -> [Int] in
            var edges: [Int] = []
            var group: [Int] = []          // leaf-local union–find, indexed by position − start
            for leaf in leaves[range] {
                let start = nodeStart[leaf], end = nodeEnd[leaf]
                group.removeAll(keepingCapacity: true)
                group.append(contentsOf: 0..<(end - start))
                func root(_ x: Int) -> Int {
                    var x = x
                    while group[x] != x { x = group[x] }
                    return x
                }
                for i in start..<end where isCore[i] {
                    let qi = points + i * dimension
                    for j in (i + 1)..<end where isCore[j] {
                        let ri = root(i - start), rj = root(j - start)
                        if ri != rj && squaredDistance(qi, position: j) <= r2 {
                            group[max(ri, rj)] = min(ri, rj)
                            edges.append(i)
                            edges.append(j)
                        }
                    }
                }
            }
            return edges
        }.flatMap { $0 }
    }
}
