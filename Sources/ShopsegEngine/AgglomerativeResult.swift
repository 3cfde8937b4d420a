/// A fitted agglomerative clustering, as returned by `Agglomerative.fit`.
public struct AgglomerativeResult: Sendable, Equatable {
    /// n labels in `0..<clusterCount`, numbered in order of each cluster's
    /// lowest sample index (sample 0 is in cluster 0).
    public let labels: [Int]
    /// k, the number of clusters (scikit-learn `n_clusters_`).
    public let clusterCount: Int
    /// k × d means of each cluster's members (input units), for assigning new
    /// samples to the nearest centre later.
    public let centres: Matrix
    /// k cluster sizes (samples).
    public let clusterSizes: [Int]
    /// The merge tree in SciPy's convention. Its leaves are the samples, or the
    /// micro-clusters in two-stage mode (then `Merge.size` counts samples).
    /// `tree.distances` is scikit-learn's `distances_`.
    public let tree: LinkageTree
    /// Whether Ward ran two-stage (k-means micro-clusters, then Ward on them).
    public let isTwoStage: Bool
    /// Micro-clusters used (the tree's leaves) in two-stage mode; 0 otherwise.
    public let microClusterCount: Int
    /// Two-stage mode: n micro-cluster ids in `0..<microClusterCount` (the
    /// tree's leaf of each sample); nil otherwise.
    public let microClusterLabels: [Int]?
    /// Notes kept with the result, e.g. that the two-stage mode was used.
    public let warnings: [String]

    init(_ x: Matrix, labels: [Int], tree: LinkageTree, microClusterLabels: [Int]?, warnings: [String]) {
        let k = (labels.max() ?? -1) + 1
        let d = x.columns
        var sums = [Double](repeating: 0, count: k * d)
        var sizes = [Int](repeating: 0, count: k)
        for (i, l) in labels.enumerated() {
            sizes[l] += 1
            for j in 0..<d { sums[l * d + j] += x.values[i * d + j] }
        }
        for l in 0..<k {
            for j in 0..<d { sums[l * d + j] /= Double(sizes[l]) }
        }
        self.labels = labels
        self.clusterCount = k
        self.centres = Matrix(rows: k, columns: d, values: sums)
        self.clusterSizes = sizes
        self.tree = tree
        self.isTwoStage = microClusterLabels != nil
        self.microClusterCount = microClusterLabels == nil ? 0 : tree.leafCount
        self.microClusterLabels = microClusterLabels
        self.warnings = warnings
    }
}
