import ShopsegEngine

/// What any clustering algorithm hands to the rest of a build, in model space.
struct ClusteringOutcome {
    /// Per user: 0..<clusterCount, numbered by decreasing cluster size (ties: lower first member), or -1 for noise.
    var labels: [Int]
    var clusterCount: Int
    /// Per user: distance to their cluster's model point (model space); nil for noise.
    var distances: [Double?]
    /// Each cluster's centroid (k-means) or member mean (DBSCAN, agglomerative), by label.
    var points: [(label: Int, vector: [Double])]
    /// DBSCAN's core samples with their labels (new users join the nearest within eps).
    var corePoints: [(label: Int, vector: [Double])] = []
    var inertia: Double?
    var warnings: [String]
    /// Algorithm details recorded in the run's parameters JSON (iterations, two-stage, …).
    var details: [String: Any] = [:]
    var kSelection: [(k: Int, inertia: Double, silhouette: Double?, daviesBouldin: Double?, calinskiHarabasz: Double?)] = []
    var chosenK: Int?
    /// Users every k of the sweep was fitted and scored on, when a sample (`kSelection` describes
    /// them; the published fit covers every user); nil when the sweep saw every user or k was given.
    var kSweepSampleSize: Int?
    /// `--k auto`: the chosen fit's quality indices from the sweep (same matrix, labels, sample
    /// and seed as `Evaluation` would use; a partition's indices do not depend on its numbering),
    /// so they are not computed twice.
    var quality: ClusterQuality?
    var linkage: [(left: Int, right: Int, distance: Double, size: Int)] = []
    /// DBSCAN's eps when new users are assigned only within eps of a core point.
    var assignWithinEps: Double?
}

extension ClusteringOutcome {
    /// Renumbers labels 0..<m by decreasing cluster size (ties: the cluster whose first member
    /// comes first), dropping empty clusters, so a first run's segment ids read as a size ranking.
    func canonicallyNumbered() -> ClusteringOutcome {
        var size = [Int](repeating: 0, count: clusterCount)
        var first = [Int](repeating: Int.max, count: clusterCount)
        for (i, label) in labels.enumerated() where label >= 0 {
            size[label] += 1
            first[label] = min(first[label], i)
        }
        let order = (0..<clusterCount).filter { size[$0] > 0 }.sorted {
            size[$0] != size[$1] ? size[$0] > size[$1] : first[$0] < first[$1]
        }
        var newLabel = [Int](repeating: -1, count: clusterCount)
        for (rank, old) in order.enumerated() { newLabel[old] = rank }
        var copy = self
        copy.labels = labels.map { $0 >= 0 ? newLabel[$0] : -1 }
        copy.clusterCount = order.count
        copy.points = points.compactMap { newLabel[$0.label] >= 0 ? (newLabel[$0.label], $0.vector) : nil }
        copy.corePoints = corePoints.compactMap { newLabel[$0.label] >= 0 ? (newLabel[$0.label], $0.vector) : nil }
        return copy
    }
}
