/// Chooses the number of clusters k by sweeping a range: fits `KMeans` for each
/// k (same `nInit`, `maxIter`, `tol`, `seed`), records the quality indices of
/// each fit (`ClusterQuality`) and picks k by the **highest mean silhouette**,
/// exact ties (within 1e-12) going to the smaller k.
///
/// Why the silhouette (Rousseeuw 1987; Kaufman & Rousseeuw 1990, ch. 2, who
/// propose exactly this rule): it rewards both tight and well separated
/// clusters, is bounded in [−1, 1] and, unlike inertia, does not improve just
/// because k grows, so it needs no "elbow" judgement. Calinski–Harabasz and
/// Davies–Bouldin are reported for every k for the analyst but not used: both
/// are centroid-based and on customer data tend to favour the smallest k
/// (CH) or be unstable for small clusters (DB). Smaller k wins ties because it
/// is the simpler segmentation. Every k's silhouette uses the same seed, so
/// above `silhouetteSampleLimit` rows every k is scored on the same sample.
///
/// Range: `kRange.lowerBound` ≥ 2 (the silhouette needs two clusters). An upper
/// bound above n − 1 (the largest k with a defined silhouette) is clipped to
/// n − 1 with a warning; a lower bound above n − 1 is an error. If no k has a
/// defined silhouette (e.g. all rows identical, so k-means finds one cluster),
/// the smallest k is chosen with a warning.
///
/// ```swift
/// let sweep = try KSelection(kRange: 2...10, seed: 42).fit(x)
/// sweep.chosenK          // e.g. 4
/// sweep.chosen.labels    // the k-means fit for that k
/// ```
///
/// Complexity: Σₖ KMeans(k) + O(min(n, limit)²·(d + Σk)) for the silhouettes (one shared
/// distance computation for every k).
public struct KSelection: Sendable {
    /// The k values tried, e.g. `2...10` (CLI `auto:2-10`). Default 2...10; lower bound ≥ 2.
    public var kRange: ClosedRange<Int> = 2...10
    /// `n_init` of each k-means fit. Default 10; ≥ 1.
    public var nInit: Int = 10
    /// `max_iter` of each fit. Default 300; ≥ 1.
    public var maxIter: Int = 300
    /// `tol` of each fit. Default 1e-4.
    public var tol: Double = 1e-4
    /// Seed of every fit and of the silhouette sample. Default 0.
    public var seed: UInt64 = 0
    /// Rows above which the silhouette is sampled. Default 30 000; ≥ 2.
    public var silhouetteSampleLimit: Int = 30_000
    var workerCount: Int = ChunkedParallel.defaultWorkerCount

    /// The rule, as stored with a run.
    public static let rule = "highest silhouette; ties (within 1e-12) to the smaller k"

    public init(kRange: ClosedRange<Int> = 2...10, nInit: Int = 10, maxIter: Int = 300, tol: Double = 1e-4,
                seed: UInt64 = 0, silhouetteSampleLimit: Int = 30_000) {
        self.kRange = kRange
        self.nInit = nInit
        self.maxIter = maxIter
        self.tol = tol
        self.seed = seed
        self.silhouetteSampleLimit = silhouetteSampleLimit
    }

    /// Fits every k of the (clipped) range and picks one.
    ///
    /// - Parameter x: n × d, row-major, finite, d ≥ 1, n ≥ kRange.lowerBound + 1.
    /// - Throws: `EngineError.invalidParameter` (lower bound < 2, sample limit < 2,
    ///   or a k-means setting); `.emptyMatrix`, `.noFeatures`, `.nonFiniteInput`;
    ///   `.kRangeAboveSamples` when n − 1 < lower bound.
    public func fit(_ x: Matrix) throws -> KSelectionResult {
        guard kRange.lowerBound >= 2 else {
            throw EngineError.invalidParameter(name: "k_range", value: "\(kRange.lowerBound)...\(kRange.upperBound)",
                                               rule: "a range with lower bound >= 2")
        }
        guard silhouetteSampleLimit >= 2 else {
            throw EngineError.invalidParameter(name: "sample_limit", value: "\(silhouetteSampleLimit)", rule: ">= 2")
        }
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        var warnings: [String] = []
        let largest = x.rows - 1
        guard kRange.lowerBound <= largest else {
            throw EngineError.kRangeAboveSamples(lower: kRange.lowerBound, upper: kRange.upperBound, samples: x.rows)
        }
        var range = kRange
        if kRange.upperBound > largest {
            range = kRange.lowerBound...largest
            warnings.append("k range \(kRange.lowerBound)...\(kRange.upperBound) clipped to "
                            + "\(range.lowerBound)...\(range.upperBound): k <= n_samples - 1 = \(largest)")
        }
        let results = try range.map { k in
            var km = KMeans(clusterCount: k, nInit: nInit, maxIter: maxIter, tol: tol, seed: seed)
            km.workerCount = workerCount
            return try km.fit(x)
        }
        // Every k is scored on the same silhouette sample, so the distances are computed once.
        let qualities = try ClusterQuality.evaluate(x, kmeans: results, sampleLimit: silhouetteSampleLimit,
                                                    seed: seed, workers: workerCount)
        let candidates = zip(range, zip(qualities, results)).map { k, fit in
            KCandidate(k: k, quality: fit.0, warnings: fit.1.warnings)
        }
        let picked = Self.choose(candidates.map { ($0.k, $0.quality.silhouette.value) })
        if picked == nil {
            warnings.append("silhouette undefined for every k in \(range.lowerBound)...\(range.upperBound); "
                            + "chose the smallest k")
        }
        let chosenK = picked ?? range.lowerBound
        return KSelectionResult(candidates: candidates, chosenK: chosenK,
                                chosen: results[chosenK - range.lowerBound], rule: Self.rule, warnings: warnings)
    }

    /// The rule: the k with the highest defined silhouette; a later (larger) k
    /// must beat the best so far by more than 1e-12. nil when none is defined.
    /// - Precondition: ascending k.
    static func choose(_ silhouettes: [(k: Int, value: Double?)]) -> Int? {
        var best: (k: Int, value: Double)?
        for (k, value) in silhouettes {
            guard let v = value else { continue }
            if best == nil || v > best!.value + 1e-12 { best = (k, v) }
        }
        return best?.k
    }
}

/// One k of a `KSelection` sweep.
public struct KCandidate: Sendable, Equatable {
    public let k: Int
    /// Inertia (the fit's), silhouette, Davies–Bouldin, Calinski–Harabasz.
    public let quality: ClusterQuality
    /// The k-means fit's warnings (e.g. fewer distinct points than k).
    public let warnings: [String]
}

/// The outcome of a `KSelection` sweep.
public struct KSelectionResult: Sendable, Equatable {
    /// One entry per k tried, ascending k.
    public let candidates: [KCandidate]
    /// The k picked by `rule`.
    public let chosenK: Int
    /// The k-means fit for `chosenK` (no refit needed).
    public let chosen: KMeansResult
    /// `KSelection.rule`.
    public let rule: String
    /// Range clipping, or "silhouette undefined for every k".
    public let warnings: [String]
}
