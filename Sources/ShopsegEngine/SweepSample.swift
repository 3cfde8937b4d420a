/// Which rows a k sweep fits and scores: every row up to `threshold`, above it a seeded
/// uniform sample of `size` rows. Used by `KSelection` and by `shopseg build`'s k sweep, which
/// then refit only the chosen k on all n rows.
///
/// Why: a sweep fits k-means once per k of its range (7 values in the build's default 4…10,
/// each with `nInit` runs) and throws all fits but one away, while the silhouette that
/// chooses among them already scores at most 30 000 rows. Fitting every k on a uniform sample
/// and refitting the chosen k on everything costs about #k · `size` + n row passes instead of
/// #k · n: at n = 1 000 000 and 7 values of k, 1.7 M instead of 7 M. The same idea appears in
/// scikit-learn: `silhouette_score(sample_size=…)` scores on a random subset, and its "Color
/// Quantization using K-Means" example fits `KMeans` on a random sub-sample and labels every
/// pixel with the result.
///
/// Defaults (threshold 100 000, size 100 000): up to 100 000 rows a sweep is exactly what it
/// was before sampling existed (the generator's 100k-user data, k = 7, ARI 0.88, stay bit for
/// bit). Above, every k is fitted on 100 000 rows: on the generator's 1 000 000 users that
/// chooses the same k (7) as the full sweep, and the refit is the very fit the full sweep
/// published (same inertia, every user in the same segment, ARI 0.884 against the planted
/// types). Sampling pays once n > size · #k / (#k − 1), about 117 000 rows for 4…10, so a
/// threshold equal to the size costs at most a few percent just above it.
///
/// ```swift
/// let rows = SweepSample(threshold: 1_000, size: 500).rows(n: 5_000, seed: 0)   // 500 indices
/// SweepSample().rows(n: 80_000, seed: 0)                                          // nil: all rows
/// ```
public struct SweepSample: Sendable, Equatable {
    /// n above which the sweep samples (rows, i.e. users in a build). Default 100 000; ≥ `size`.
    public var threshold: Int
    /// m, the rows drawn when n > `threshold`. Default 100 000; ≥ 2 and ≤ `threshold`.
    public var size: Int

    public init(threshold: Int = 100_000, size: Int = 100_000) {
        self.threshold = threshold
        self.size = size
    }

    /// - Throws: `EngineError.invalidParameter` when `size < 2` or `threshold < size`.
    public func validate() throws {
        guard size >= 2 else {
            throw EngineError.invalidParameter(name: "sweep_sample_size", value: "\(size)", rule: ">= 2")
        }
        guard threshold >= size else {
            throw EngineError.invalidParameter(name: "sweep_sample_threshold", value: "\(threshold)",
                                               rule: ">= sweep_sample_size=\(size)")
        }
    }

    /// The rows a sweep over n rows fits: nil (all of them) when n ≤ `threshold`, otherwise
    /// `size` distinct indices of `0..<n`, ascending, drawn uniformly without replacement by
    /// a partial Fisher–Yates shuffle with `Xoshiro256StarStar(seed: seed)` (the silhouette's
    /// sampler), so the same n and seed always give the same rows.
    ///
    /// Complexity: O(n) time and memory when sampling.
    public func rows(n: Int, seed: UInt64) -> [Int]? {
        n > threshold ? Silhouette.sampledRows(n: n, count: min(size, n), seed: seed) : nil
    }

    /// What a sweep over `x` fits: `x` itself, or its rows at ``rows(n:seed:)`` (with those indices).
    /// - Throws: as ``validate()``.
    public func select(from x: Matrix, seed: UInt64) throws -> (matrix: Matrix, rows: [Int]?) {
        try validate()
        let rows = rows(n: x.rows, seed: seed)
        return (rows.map { x.selectingRows($0) } ?? x, rows)
    }
}
