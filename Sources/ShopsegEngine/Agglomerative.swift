/// Agglomerative (hierarchical) clustering settings, with scikit-learn
/// `AgglomerativeClustering` semantics (`metric="euclidean"`, no connectivity).
///
/// Every sample starts as its own cluster; the two closest clusters under the
/// `linkage` are merged until one is left, giving a `LinkageTree` in SciPy's
/// convention (`scipy.cluster.hierarchy.linkage(X, method=…)`), which is cut
/// into clusters either at `clusterCount` clusters or at `distanceThreshold`
/// (exactly one of the two must be set, as scikit-learn).
///
/// Algorithms (Müllner 2011, "Modern hierarchical, agglomerative clustering
/// algorithms"):
/// - ward: nearest-neighbour chain (Murtagh 1983) on centroids and sizes,
///   distances on the fly: O(n²·d) time, O(n·d) memory.
/// - complete, average: nearest-neighbour chain on a condensed distance matrix:
///   O(n²·d) time, O(n²) memory, so n ≤ `maxCondensedSamples`.
/// - single: Prim's minimum spanning tree, distances on the fly: O(n²·d) time,
///   O(n·d) memory.
/// Nearest-neighbour scans run on all cores; results do not depend on the
/// thread count (ties go to the smaller cluster id).
///
/// Two-stage Ward: above `twoStageThreshold` samples, `linkage = .ward` first
/// summarises X by k-means into `microClusterCount` micro-clusters (`KMeans`
/// with `nInit = 1`, `maxIter = microClusterMaxIter`, this `seed`), then runs
/// Ward on the micro-cluster centres weighted by their member counts, and gives
/// each sample its micro-cluster's label. The result says so (`isTwoStage`).
///
/// ```swift
/// let x = Matrix(rows: [[0, 0], [0, 1], [10, 10], [10, 12]])
/// let result = try Agglomerative(clusterCount: 2, linkage: .ward).fit(x)
/// // result.labels == [0, 0, 1, 1]; result.tree.distances == [1, 2, sqrt(420.5)]
/// ```
///
/// Differences from scikit-learn: n = 1 is accepted (one cluster, an empty
/// tree) where scikit-learn requires 2 samples; labels are numbered by the
/// lowest sample index in each cluster (scikit-learn's order comes from a heap);
/// the two-stage mode is ours.
public struct Agglomerative: Sendable {
    /// How the distance between two clusters is measured (scikit-learn `linkage`).
    public enum Linkage: String, Sendable, CaseIterable {
        /// Increase of the within-cluster sum of squares (Ward 1963), as SciPy's
        /// height `sqrt(2·|A||B|/(|A|+|B|))·‖c_A − c_B‖`. scikit-learn's default.
        case ward
        /// Largest distance between members.
        case complete
        /// Mean distance between members (UPGMA).
        case average
        /// Smallest distance between members.
        case single
    }

    /// The most samples complete and average linkage accept: their n(n − 1)/2
    /// distance matrix takes 8 bytes per pair (1.6 GB at 20,000).
    public static let maxCondensedSamples = 20_000

    /// `n_clusters`: clusters to cut the tree into; ≥ 1 and ≤ n. Default 2.
    /// Must be nil when `distanceThreshold` is set.
    public var clusterCount: Int?
    /// `distance_threshold`: merges at distance ≥ this are not applied (clusters
    /// = 1 + merges at or above it); finite, ≥ 0, in the units of the linkage
    /// distance. Default nil. Requires `clusterCount == nil`.
    public var distanceThreshold: Double?
    /// `linkage`. Default `.ward`.
    public var linkage: Linkage
    /// Ward above this many samples runs two-stage (see the type). Default 50,000; ≥ 1.
    public var twoStageThreshold: Int
    /// Micro-clusters in two-stage mode. Default 1,000; ≥ 2.
    public var microClusterCount: Int
    /// Lloyd iterations of the micro-cluster k-means. Default 30; ≥ 1. (The
    /// micro-clusters summarise the data; they need not converge.)
    public var microClusterMaxIter: Int
    /// Seed of the micro-cluster k-means (only two-stage mode is random). Default 0.
    public var seed: UInt64
    /// Worker threads for scans; internal, for determinism tests.
    var workerCount: Int = ChunkedParallel.defaultWorkerCount
    /// Scans shorter than this run on one thread; internal, so tests can reach
    /// the parallel path with small inputs.
    var parallelThreshold: Int = ParallelMinimum.Plan(workers: 1).threshold
    private var plan: ParallelMinimum.Plan { ParallelMinimum.Plan(workers: workerCount, threshold: parallelThreshold) }

    public init(clusterCount: Int? = 2, distanceThreshold: Double? = nil, linkage: Linkage = .ward,
                twoStageThreshold: Int = 50_000, microClusterCount: Int = 1_000,
                microClusterMaxIter: Int = 30, seed: UInt64 = 0) {
        self.clusterCount = clusterCount
        self.distanceThreshold = distanceThreshold
        self.linkage = linkage
        self.twoStageThreshold = twoStageThreshold
        self.microClusterCount = microClusterCount
        self.microClusterMaxIter = microClusterMaxIter
        self.seed = seed
    }

    /// Clusters the rows of `x`.
    ///
    /// - Parameter x: n × d, row-major, all values finite, n ≥ 1, d ≥ 1.
    /// - Returns: labels (n), the tree, per-cluster centres (k × d) and sizes.
    /// - Throws: `EngineError.clusterCountXorDistanceThreshold` unless exactly one
    ///   of `clusterCount`, `distanceThreshold` is set; `.invalidParameter` for a
    ///   setting out of range; `.emptyMatrix`; `.noFeatures`; `.nonFiniteInput`;
    ///   `.tooFewSamples(n:k:)` when n < `clusterCount`; `.invalidParameter` for
    ///   `clusterCount` above the (non-empty) micro-clusters in two-stage mode;
    ///   `.tooManySamplesForLinkage` for complete/average above `maxCondensedSamples`.
    public func fit(_ x: Matrix) throws -> AgglomerativeResult {
        try validate(x)
        let n = x.rows, d = x.columns
        if isTwoStage(n) { return try fitTwoStage(x) }
        let raw: [(a: Int, b: Int, distance: Double)]
        switch linkage {
        case .ward:
            var space = WardSpace(points: x.values, weights: [Double](repeating: 1, count: n),
                                  columns: d, plan: plan)
            raw = NearestNeighbourChain.run(&space, clusterCount: n)
        case .complete, .average:
            var space = CondensedSpace(points: x.values, rows: n, columns: d,
                                       rule: linkage == .complete ? .complete : .average, plan: plan)
            raw = NearestNeighbourChain.run(&space, clusterCount: n)
        case .single:
            raw = SingleLinkageMST.edges(x.values, rows: n, columns: d, plan: plan)
        }
        let tree = LinkageTree.fromRawMerges(raw, leafCount: n)
        let labels = tree.labels(clusterCount: cutCount(tree))
        return AgglomerativeResult(x, labels: labels, tree: tree, microClusterLabels: nil, warnings: [])
    }

    /// k-means micro-clusters, then size-weighted Ward on their centres.
    private func fitTwoStage(_ x: Matrix) throws -> AgglomerativeResult {
        let n = x.rows, d = x.columns
        let micro = try KMeans(clusterCount: microClusterCount, nInit: 1, maxIter: microClusterMaxIter,
                               seed: seed).fit(x)
        // Keep non-empty micro-clusters (k-means may leave some empty on duplicate data).
        var counts = [Int](repeating: 0, count: microClusterCount)
        for l in micro.labels { counts[l] += 1 }
        var leafOf = [Int](repeating: -1, count: microClusterCount)
        var centres: [Double] = []
        var weights: [Double] = []
        var sizes: [Int] = []
        for j in 0..<microClusterCount where counts[j] > 0 {
            leafOf[j] = sizes.count
            centres.append(contentsOf: micro.centroids.row(j))
            weights.append(Double(counts[j]))
            sizes.append(counts[j])
        }
        let m = sizes.count
        var space = WardSpace(points: centres, weights: weights, columns: d, plan: plan)
        let raw = NearestNeighbourChain.run(&space, clusterCount: m)
        let tree = LinkageTree.fromRawMerges(raw, leafCount: m, leafSizes: sizes)
        let k = cutCount(tree)
        guard k <= m else {   // duplicate rows can leave fewer non-empty micro-clusters
            throw EngineError.invalidParameter(name: "n_clusters", value: "\(k)",
                                               rule: "<= n_micro_clusters=\(m) (non-empty) in two-stage mode")
        }
        let leafLabels = tree.labels(clusterCount: k)
        let microLabels = micro.labels.map { leafOf[$0] }
        // Renumber so labels follow the lowest sample index, as in direct mode.
        var renumber = [Int](repeating: -1, count: k)
        var next = 0
        var labels = [Int](repeating: 0, count: n)
        for i in 0..<n {
            let l = leafLabels[microLabels[i]]
            if renumber[l] < 0 { renumber[l] = next; next += 1 }
            labels[i] = renumber[l]
        }
        let warning = "two-stage: n_samples=\(n) > \(twoStageThreshold); Ward on \(m) k-means micro-clusters"
        return AgglomerativeResult(x, labels: labels, tree: tree, microClusterLabels: microLabels, warnings: [warning])
    }

    /// Whether `fit` runs two-stage for n samples.
    private func isTwoStage(_ n: Int) -> Bool {
        linkage == .ward && n > twoStageThreshold && microClusterCount < n
    }

    /// The number of clusters to cut at: `clusterCount`, or from the threshold.
    private func cutCount(_ tree: LinkageTree) -> Int {
        if let t = distanceThreshold { return tree.clusterCount(distanceThreshold: t) }
        return clusterCount!
    }

    private func validate(_ x: Matrix) throws {
        guard (clusterCount == nil) != (distanceThreshold == nil) else {
            throw EngineError.clusterCountXorDistanceThreshold(clusterCount: clusterCount,
                                                              distanceThreshold: distanceThreshold)
        }
        if let k = clusterCount, k < 1 {
            throw EngineError.invalidParameter(name: "n_clusters", value: "\(k)", rule: ">= 1")
        }
        if let t = distanceThreshold, !(t.isFinite && t >= 0) {
            throw EngineError.invalidParameter(name: "distance_threshold", value: "\(t)", rule: "finite and >= 0")
        }
        guard twoStageThreshold >= 1 else {
            throw EngineError.invalidParameter(name: "two_stage_threshold", value: "\(twoStageThreshold)", rule: ">= 1")
        }
        guard microClusterCount >= 2 else {
            throw EngineError.invalidParameter(name: "micro_cluster_count", value: "\(microClusterCount)", rule: ">= 2")
        }
        guard microClusterMaxIter >= 1 else {
            throw EngineError.invalidParameter(name: "micro_cluster_max_iter", value: "\(microClusterMaxIter)",
                                               rule: ">= 1")
        }
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        if let k = clusterCount, x.rows < k { throw EngineError.tooFewSamples(n: x.rows, k: k) }
        if let k = clusterCount, isTwoStage(x.rows), k > microClusterCount {
            throw EngineError.invalidParameter(name: "n_clusters", value: "\(k)",
                                               rule: "<= micro_cluster_count=\(microClusterCount) in two-stage mode")
        }
        if (linkage == .complete || linkage == .average) && x.rows > Self.maxCondensedSamples {
            throw EngineError.tooManySamplesForLinkage(linkage: linkage.rawValue, samples: x.rows,
                                                       limit: Self.maxCondensedSamples)
        }
    }
}
