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
/// Large n (above `sweepSample.threshold`, default 100 000 rows): every k is fitted and
/// scored on the same seeded uniform sample of `sweepSample.size` rows (see `SweepSample`),
/// and only the chosen k is fitted again, with the same settings, on all n rows — so
/// `chosen` covers every row while `candidates` describe the sample (`sweepRowCount`).
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
/// Complexity: Σₖ KMeans(k) on m = min(n, sample) rows + (when sampled) KMeans(chosen k) on n
/// + O(min(m, limit)²·(d + Σk)) for the silhouettes (one shared distance computation for every k).
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
    /// Rows above which every k is fitted and scored on a seeded sample, and how many
    /// (`SweepSample`: default threshold 100 000, size 100 000; the sample is drawn with `seed`).
    public var sweepSample = SweepSample()
    var workerCount: Int = ChunkedParallel.defaultWorkerCount

    /// The rule, as stored with a run.
    public static let rule = "highest silhouette; ties (within 1e-12) to the smaller k"

    /// `rule`, followed by what the sweep was computed on when it sampled: `sampledRows` (m)
    /// of `rows` (n), e.g. "…; every k fitted and scored on a seeded sample of 100000 of
    /// 1000000 rows, the chosen k refitted on all 1000000". nil `sampledRows` gives `rule`.
    public static func rule(sampledRows: Int?, of rows: Int) -> String {
        guard let m = sampledRows else { return rule }
        return rule + "; every k fitted and scored on a seeded sample of \(m) of \(rows) rows, "
            + "the chosen k refitted on all \(rows)"
    }

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
    /// - Throws: `EngineError.invalidParameter` (lower bound < 2, sample limit < 2, a
    ///   `sweepSample` out of range, or a k-means setting); `.emptyMatrix`, `.noFeatures`, `.nonFiniteInput`;
    ///   `.kRangeAboveSamples` when n − 1 < lower bound.
    public func fit(_ x: Matrix) throws -> KSelectionResult {
        guard kRange.lowerBound >= 2 else {
            throw EngineError.invalidParameter(name: "k_range", value: "\(kRange.lowerBound)...\(kRange.upperBound)",
                                               rule: "a range with lower bound >= 2")
        }
        guard silhouetteSampleLimit >= 2 else {
            throw EngineError.invalidParameter(name: "sample_limit", value: "\(silhouetteSampleLimit)", rule: ">= 2")
        }
        // Every k is fitted and scored on these rows; only the chosen k sees all of x.
        let (swept, sample) = try sweepSample.select(from: x, seed: seed)
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        var warnings: [String] = []
        let largest = swept.rows - 1
        guard kRange.lowerBound <= largest else {
            throw EngineError.kRangeAboveSamples(lower: kRange.lowerBound, upper: kRange.upperBound, samples: swept.rows)
        }
        var range = kRange
        if kRange.upperBound > largest {
            range = kRange.lowerBound...largest
            warnings.append("k range \(kRange.lowerBound)...\(kRange.upperBound) clipped to "
                            + "\(range.lowerBound)...\(range.upperBound): k <= n_samples - 1 = \(largest)")
        }
        let results = try range.map { try kmeans($0).fit(swept) }
        // Every k is scored on the same silhouette sample, so the distances are computed once.
        let qualities = try ClusterQuality.evaluate(swept, kmeans: results, sampleLimit: silhouetteSampleLimit,
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
        let chosen = sample == nil ? results[chosenK - range.lowerBound] : try kmeans(chosenK).fit(x)
        return KSelectionResult(candidates: candidates, chosenK: chosenK, chosen: chosen,
                                rule: Self.rule(sampledRows: sample?.count, of: x.rows), warnings: warnings,
                                sweepRowCount: swept.rows)
    }

    /// The k-means settings of every fit of the sweep, for k clusters.
    private func kmeans(_ k: Int) -> KMeans {
        var km = KMeans(clusterCount: k, nInit: nInit, maxIter: maxIter, tol: tol, seed: seed)
        km.workerCount = workerCount
        return km
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
    /// The k-means fit for `chosenK` on all n rows: the sweep's own fit, or, when the sweep
    /// sampled, a fit of `chosenK` with the same settings on every row.
    public let chosen: KMeansResult
    /// `KSelection.rule(sampledRows:of:)`: the rule, and the sample when there was one.
    public let rule: String
    /// Range clipping, or "silhouette undefined for every k".
    public let warnings: [String]
    /// m, the rows every candidate was fitted and scored on: n, or `SweepSample.size` when
    /// n was above its threshold.
    public let sweepRowCount: Int
}
