/// A merge tree (dendrogram) in SciPy's linkage convention, as returned by
/// `scipy.cluster.hierarchy.linkage` and used by scikit-learn's
/// `AgglomerativeClustering` (`children_`, `distances_`).
///
/// With L leaves (ids `0..<L`), there are L − 1 merges; merge i creates the
/// cluster with id `L + i` from `left` and `right` (`left < right`). Merges are
/// sorted by `distance` ascending; equal distances keep the order in which the
/// algorithm produced them (a stable sort, as SciPy's `argsort(kind="mergesort")`).
///
/// ```swift
/// // Leaves 0, 1, 2 on a line at 0, 1, 3 (single linkage):
/// // merges == [(0, 1, 1.0, 2), (2, 3, 2.0, 3)]
/// ```
public struct LinkageTree: Sendable, Equatable {
    /// One row of the linkage matrix.
    public struct Merge: Sendable, Equatable {
        /// The smaller of the two merged cluster ids (a leaf `< L` or a merge `L + j`).
        public let left: Int
        /// The larger of the two merged cluster ids.
        public let right: Int
        /// The linkage distance at which they merge (input units; for Ward,
        /// SciPy's `sqrt(2·|A|·|B|/(|A|+|B|))·‖c_A − c_B‖`).
        public let distance: Double
        /// Number of samples under the new cluster (for a two-stage tree, users,
        /// not micro-clusters: leaves carry their member counts).
        public let size: Int

        public init(left: Int, right: Int, distance: Double, size: Int) {
            self.left = left
            self.right = right
            self.distance = distance
            self.size = size
        }
    }

    /// L, the number of leaves.
    public let leafCount: Int
    /// The L − 1 merges (0 when L = 1), sorted by distance.
    public let merges: [Merge]

    /// - Precondition: `leafCount ≥ 1`, `merges.count == leafCount − 1`, and merge i
    ///   joins two distinct earlier clusters: `0 ≤ left < right < leafCount + i`.
    public init(leafCount: Int, merges: [Merge]) {
        precondition(leafCount >= 1 && merges.count == leafCount - 1,
                     "a tree with \(leafCount) leaves needs \(max(0, leafCount - 1)) merges, got \(merges.count)")
        for (i, m) in merges.enumerated() {
            precondition(0 <= m.left && m.left < m.right && m.right < leafCount + i,
                         "merge \(i) joins (\(m.left), \(m.right)); expected 0 <= left < right < \(leafCount + i)")
        }
        self.leafCount = leafCount
        self.merges = merges
    }

    /// The merge distances (scikit-learn `distances_`), L − 1 of them, ascending.
    public var distances: [Double] { merges.map(\.distance) }

    /// The (L − 1) × 4 linkage matrix Z of SciPy: rows `(left, right, distance, size)`.
    public var matrix: Matrix {
        Matrix(rows: merges.count, columns: 4,
               values: merges.flatMap { [Double($0.left), Double($0.right), $0.distance, Double($0.size)] })
    }

    /// The number of clusters scikit-learn gives for `distance_threshold = t`:
    /// 1 + the number of merges at distance ≥ t (merges strictly below t are kept).
    public func clusterCount(distanceThreshold t: Double) -> Int {
        1 + merges.reduce(0) { $0 + ($1.distance >= t ? 1 : 0) }
    }

    /// Leaf labels for the cut into `k` clusters: the first L − k merges are
    /// applied (equivalently, the k − 1 highest merges are undone, as
    /// scikit-learn's `_hc_cut`). Clusters are numbered 0..<k in order of their
    /// lowest leaf id.
    /// - Precondition: 1 ≤ k ≤ L.
    public func labels(clusterCount k: Int) -> [Int] {
        precondition(k >= 1 && k <= leafCount, "cluster count \(k) should be in 1...\(leafCount)")
        var sets = UnionFind(count: leafCount)
        // Leaf representative of every cluster id, so merge rows can name leaves.
        var leafOf = [Int](0..<leafCount)
        leafOf.reserveCapacity(2 * leafCount - 1)
        for m in merges.prefix(leafCount - k) {
            let a = leafOf[m.left], b = leafOf[m.right]
            sets.union(a, b)
            leafOf.append(a)
        }
        var labelOfRoot = [Int](repeating: -1, count: leafCount)
        var next = 0
        var labels = [Int](repeating: 0, count: leafCount)
        for leaf in 0..<leafCount {
            let root = sets.find(leaf)
            if labelOfRoot[root] < 0 {
                labelOfRoot[root] = next
                next += 1
            }
            labels[leaf] = labelOfRoot[root]
        }
        return labels
    }

    /// Builds the tree from merges in the order an algorithm produced them, naming
    /// clusters by any representative leaf (SciPy's raw NN-chain / MST output):
    /// stable-sorts by distance, then renames with a union-find so merge i makes
    /// cluster L + i and `left < right` (SciPy `_hierarchy.label`).
    ///
    /// - Parameters:
    ///   - raw: L − 1 triples (a, b, distance) with a, b leaf ids standing for
    ///     the clusters that contain them.
    ///   - leafSizes: samples under each leaf (nil = 1 each).
    static func fromRawMerges(_ raw: [(a: Int, b: Int, distance: Double)], leafCount: Int,
                              leafSizes: [Int]? = nil) -> LinkageTree {
        let order = raw.indices.sorted { i, j in
            raw[i].distance < raw[j].distance || (raw[i].distance == raw[j].distance && i < j)
        }
        var sets = UnionFind(count: leafCount)
        // Current cluster id and size of every union-find root.
        var clusterId = [Int](0..<leafCount)
        var size = leafSizes ?? [Int](repeating: 1, count: leafCount)
        var merges: [Merge] = []
        merges.reserveCapacity(raw.count)
        for (step, r) in order.enumerated() {
            let ra = sets.find(raw[r].a), rb = sets.find(raw[r].b)
            let ida = clusterId[ra], idb = clusterId[rb]
            let merged = size[ra] + size[rb]
            merges.append(Merge(left: min(ida, idb), right: max(ida, idb), distance: raw[r].distance, size: merged))
            let root = sets.union(ra, rb)
            clusterId[root] = leafCount + step
            size[root] = merged
        }
        return LinkageTree(leafCount: leafCount, merges: merges)
    }
}

/// Disjoint sets over `0..<count` with path halving and union by size.
struct UnionFind {
    private var parent: [Int]
    private var rank: [Int]

    init(count: Int) {
        parent = Array(0..<count)
        rank = [Int](repeating: 1, count: count)
    }

    mutating func find(_ x: Int) -> Int {
        var x = x
        while parent[x] != x {
            parent[x] = parent[parent[x]]
            x = parent[x]
        }
        return x
    }

    /// Joins the sets of `a` and `b`; returns the new root.
    @discardableResult
    mutating func union(_ a: Int, _ b: Int) -> Int {
        var ra = find(a), rb = find(b)
        if ra == rb { return ra }
        if rank[ra] < rank[rb] { swap(&ra, &rb) }
        parent[rb] = ra
        rank[ra] += rank[rb]
        return ra
    }
}
