/// Single linkage by Prim's minimum spanning tree (Prim 1957; Müllner 2011,
/// Fig. 6), as SciPy's `_hierarchy.mst_single_linkage`, with Euclidean
/// distances computed on the fly instead of read from a distance matrix.
///
/// Start the tree at point 0; repeatedly add the outside point nearest to the
/// tree (ties to the smallest index), keeping for every outside point its
/// distance to the tree. The n − 1 tree edges, sorted by length, are the
/// single-linkage merges (`LinkageTree.fromRawMerges`).
///
/// Complexity: O(n²·d) time, O(n·d) memory (a copy of the outside points kept
/// contiguous). Each step's scan is split across workers.
enum SingleLinkageMST {
    /// The n − 1 MST edges (tree point, added point, Euclidean length), in the
    /// order Prim's algorithm adds them.
    /// - Parameter x: n × d row-major points, n ≥ 1.
    static func edges(_ x: [Double], rows n: Int, columns d: Int, plan: ParallelMinimum.Plan) -> [(a: Int, b: Int, distance: Double)] {
        guard n > 1 else { return [] }
        // Outside points by position 0..<count, plus the newest tree point until it is removed.
        var points = x
        var ids = Array(0..<n)
        var toTree = [Double](repeating: .infinity, count: n)   // squared distances
        // The tree point each outside point is nearest to, so edges are true MST
        // edges (SciPy records the last added point instead; same tree after sorting).
        var nearestInTree = [Int](repeating: 0, count: n)
        var count = n
        var edges: [(a: Int, b: Int, distance: Double)] = []
        edges.reserveCapacity(n - 1)
        var newest = 0   // position of the point last added to the tree
        var addedPoint = [Double](repeating: 0, count: d)

        for _ in 0..<(n - 1) {
            // Remove the newest tree point by moving the last outside point into its place.
            let added = ids[newest]
            for j in 0..<d { addedPoint[j] = points[newest * d + j] }
            let last = count - 1
            if newest != last {
                for j in 0..<d { points[newest * d + j] = points[last * d + j] }
                ids[newest] = ids[last]
                toTree[newest] = toTree[last]
                nearestInTree[newest] = nearestInTree[last]
            }
            count -= 1
            let best = addedPoint.withUnsafeBufferPointer { a in
                points.withUnsafeBufferPointer { p in
                    ids.withUnsafeBufferPointer { idp in
                        toTree.withUnsafeMutableBufferPointer { t in
                          nearestInTree.withUnsafeMutableBufferPointer { near in
                            let a = a.baseAddress!, p = p.baseAddress!, idp = idp.baseAddress!
                            // Workers write disjoint positions of t and near.
                            let shared = UncheckedSendable(value: (t.baseAddress!, near.baseAddress!))
                            return ParallelMinimum.scan(count: count, plan: plan) { range in
                                let (t, near) = shared.value
                                var best = ParallelMinimum.Candidate.none
                                for q in range {
                                    let s = DistanceKernels.squaredDistance(a, p + q * d, d)
                                    if s < t[q] {
                                        t[q] = s
                                        near[q] = added
                                    }
                                    let v = t[q]
                                    if v < best.value || (v == best.value && idp[q] < best.key) {
                                        best = ParallelMinimum.Candidate(value: v, key: idp[q], position: q)
                                    }
                                }
                                return best
                            }
                          }
                        }
                    }
                }
            }
            edges.append((nearestInTree[best.position], best.key, best.value.squareRoot()))
            newest = best.position
        }
        return edges
    }
}
