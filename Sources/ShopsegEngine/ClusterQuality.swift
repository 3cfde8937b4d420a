/// A quality index that may be undefined for a clustering: either a value or the
/// reason there is none (so a caller can store NULL together with the reason).
public struct MetricValue: Sendable, Equatable {
    /// The index, or nil when undefined.
    public let value: Double?
    /// Why `value` is nil (e.g. `Number of labels is 1. Valid values are 2 to
    /// n_samples - 1 (inclusive) with n_samples=40`); nil when `value` is set.
    public let reason: String?

    public static func defined(_ value: Double) -> MetricValue { MetricValue(value: value, reason: nil) }
    public static func undefined(_ reason: String) -> MetricValue { MetricValue(value: nil, reason: reason) }
}

/// How `ClusterQuality` treats rows labelled −1 (DBSCAN's noise).
public enum NoiseHandling: Sendable, Equatable {
    /// Leave rows labelled −1 out of every index (the default): noise is not a
    /// cluster, so its spread should not count against the clusters found.
    case exclude
    /// Treat −1 as one more cluster label, as `sklearn.metrics` does.
    case asCluster
}

/// The internal quality indices of one clustering, each with scikit-learn
/// semantics: within-cluster sum of squares (`inertia`), silhouette (higher is
/// better, in [−1, 1]), Davies–Bouldin (lower is better, ≥ 0) and
/// Calinski–Harabasz (higher is better, > 0).
///
/// Silhouette, Davies–Bouldin and Calinski–Harabasz need 2 ≤ L ≤ m − 1 clusters
/// among the m rows scored; otherwise (one cluster, every row its own cluster,
/// everything noise) they are `.undefined(reason)` instead of an error.
///
/// Noise: with `.exclude` (default) rows labelled −1 are dropped before every
/// index, so m = n − noise; scikit-learn has no notion of noise and would score
/// −1 as a cluster (`.asCluster`).
public struct ClusterQuality: Sendable, Equatable {
    /// Σ‖x − mean of its cluster‖² over the scored rows (input units squared).
    /// From `evaluate(_:kmeans:)` it is the k-means result's own inertia.
    public let inertia: Double
    /// Mean silhouette coefficient (`Silhouette.score`).
    public let silhouette: MetricValue
    /// Rows the silhouette was averaged over (m, or `silhouetteSampleLimit` when
    /// sampled; 0 when undefined).
    public let silhouetteSampleSize: Int
    /// Whether the silhouette comes from a seeded random sample of the rows (m >
    /// `silhouetteSampleLimit`).
    public let silhouetteIsSampled: Bool
    /// `ClusterMetrics.daviesBouldin`.
    public let daviesBouldin: MetricValue
    /// `ClusterMetrics.calinskiHarabasz`.
    public let calinskiHarabasz: MetricValue
    /// L, distinct labels among the scored rows.
    public let clusterCount: Int
    /// m, rows scored.
    public let scoredCount: Int
    /// Rows labelled −1 left out (0 with `.asCluster`).
    public let noiseCount: Int

    /// Computes every index for `labels` on `x`.
    ///
    /// - Parameters:
    ///   - x: n × d, row-major, finite, d ≥ 1, n ≥ 1.
    ///   - labels: n labels (any integers; −1 is noise under `.exclude`).
    ///   - noise: treatment of −1. Default `.exclude`.
    ///   - silhouetteSampleLimit: largest m scored exactly by the silhouette
    ///     (O(m²)); above it a sample of that many rows. Default 30 000; ≥ 2.
    ///   - seed: seed of the silhouette sample. Default 0.
    /// - Throws: `EngineError.emptyMatrix`, `.noFeatures`, `.labelCount`,
    ///   `.nonFiniteInput`, `.invalidParameter` (sample limit) — never for the
    ///   number of clusters.
    ///
    /// Complexity: O(min(m, limit)²·d + m·d + L²·d).
    public static func evaluate(_ x: Matrix, labels: [Int], noise: NoiseHandling = .exclude,
                                silhouetteSampleLimit: Int = 30_000, seed: UInt64 = 0) throws -> ClusterQuality {
        try evaluate(x, labels: labels, inertia: nil, noise: noise, sampleLimit: silhouetteSampleLimit,
                     seed: seed, workers: ChunkedParallel.defaultWorkerCount)
    }

    /// The indices of a k-means result on the matrix it was fitted to; `inertia`
    /// is `result.inertia` (k-means has no noise).
    public static func evaluate(_ x: Matrix, kmeans result: KMeansResult,
                                silhouetteSampleLimit: Int = 30_000, seed: UInt64 = 0) throws -> ClusterQuality {
        try evaluate(x, labels: result.labels, inertia: result.inertia, noise: .asCluster,
                     sampleLimit: silhouetteSampleLimit, seed: seed, workers: ChunkedParallel.defaultWorkerCount)
    }

    /// The indices of several k-means results on the matrix they were all fitted to (the k
    /// values of a sweep), equal to `evaluate(x, kmeans:)` on each up to rounding: their
    /// silhouettes share one distance computation (`Silhouette.scores`), on the same sample.
    ///
    /// Complexity: O(min(n, limit)²·(d + Σk) + #results · (n·d + k²·d)).
    public static func evaluate(_ x: Matrix, kmeans results: [KMeansResult],
                                silhouetteSampleLimit: Int = 30_000, seed: UInt64 = 0) throws -> [ClusterQuality] {
        try evaluate(x, kmeans: results, sampleLimit: silhouetteSampleLimit, seed: seed,
                     workers: ChunkedParallel.defaultWorkerCount)
    }

    static func evaluate(_ x: Matrix, kmeans results: [KMeansResult], sampleLimit: Int, seed: UInt64,
                         workers: Int) throws -> [ClusterQuality] {
        guard sampleLimit >= 2 else {
            throw EngineError.invalidParameter(name: "sample_limit", value: "\(sampleLimit)", rule: ">= 2")
        }
        for r in results { try LabelledGroups.validate(x, labels: r.labels) }
        let silhouettes = try Silhouette.scores(x, labelings: results.map(\.labels), sampleLimit: sampleLimit,
                                                seed: seed, workers: workers)
        return try zip(results, silhouettes).map { result, silhouette in
            try evaluate(x, labels: result.labels, inertia: result.inertia, noise: .asCluster, sampleLimit: sampleLimit,
                         seed: seed, workers: workers, silhouette: silhouette)
        }
    }

    /// `silhouette`: the silhouette already computed for these rows and labels (by
    /// `Silhouette.scores`), or nil to compute it here.
    static func evaluate(_ x: Matrix, labels: [Int], inertia knownInertia: Double?, noise: NoiseHandling,
                         sampleLimit: Int, seed: UInt64, workers: Int,
                         silhouette known: Result<SilhouetteScore, EngineError>? = nil) throws -> ClusterQuality {
        guard sampleLimit >= 2 else {
            throw EngineError.invalidParameter(name: "sample_limit", value: "\(sampleLimit)", rule: ">= 2")
        }
        try LabelledGroups.validate(x, labels: labels)
        var points = x, kept = labels, noiseCount = 0
        if noise == .exclude, labels.contains(-1) {
            let rows = labels.indices.filter { labels[$0] != -1 }
            noiseCount = labels.count - rows.count
            var values = [Double]()
            values.reserveCapacity(rows.count * x.columns)
            for r in rows { values.append(contentsOf: x.values[(r * x.columns)..<((r + 1) * x.columns)]) }
            points = Matrix(rows: rows.count, columns: x.columns, values: values)
            kept = rows.map { labels[$0] }
        }
        let m = points.rows
        guard m > 0 else {
            let reason = "no rows to score: all n_samples=\(labels.count) rows are noise (label -1)"
            return ClusterQuality(inertia: 0, silhouette: .undefined(reason), silhouetteSampleSize: 0,
                                  silhouetteIsSampled: false, daviesBouldin: .undefined(reason),
                                  calinskiHarabasz: .undefined(reason), clusterCount: 0, scoredCount: 0,
                                  noiseCount: noiseCount)
        }
        let groups = LabelledGroups(points, labels: kept)
        let l = groups.classes.count
        let inertia = knownInertia ?? withinSumOfSquares(points, groups)
        do {
            try LabelledGroups.checkCount(labels: l, samples: m)
        } catch {
            let reason = "\(error)"
            return ClusterQuality(inertia: inertia, silhouette: .undefined(reason), silhouetteSampleSize: 0,
                                  silhouetteIsSampled: false, daviesBouldin: .undefined(reason),
                                  calinskiHarabasz: .undefined(reason), clusterCount: l, scoredCount: m,
                                  noiseCount: noiseCount)
        }
        var silhouette = MetricValue.undefined("")
        var sampleSize = 0, sampled = false
        do {
            let s = try known?.get()
                ?? Silhouette.score(points, labels: kept, sampleLimit: sampleLimit, seed: seed, workers: workers)
            silhouette = .defined(s.value)
            sampleSize = s.sampleSize
            sampled = s.isSampled
        } catch let error as EngineError {
            // Only a sample can have fewer than 2 (or more than size − 1) labels.
            silhouette = .undefined("\(error) (in the silhouette sample of \(sampleLimit) rows)")
        }
        return ClusterQuality(
            inertia: inertia, silhouette: silhouette, silhouetteSampleSize: sampleSize, silhouetteIsSampled: sampled,
            daviesBouldin: .defined(try ClusterMetrics.daviesBouldin(points, labels: kept)),
            calinskiHarabasz: .defined(try ClusterMetrics.calinskiHarabasz(points, labels: kept)),
            clusterCount: l, scoredCount: m, noiseCount: noiseCount)
    }

    /// Σ‖x − centroid of its group‖², left to right.
    static func withinSumOfSquares(_ x: Matrix, _ g: LabelledGroups) -> Double {
        let d = x.columns
        var total = 0.0
        x.values.withUnsafeBufferPointer { xb in
            g.centroids.withUnsafeBufferPointer { cb in
                for i in 0..<x.rows {
                    total += DistanceKernels.squaredDistance(xb.baseAddress! + i * d, cb.baseAddress! + g.groups[i] * d, d)
                }
            }
        }
        return total
    }
}
