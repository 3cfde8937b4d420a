import Foundation

/// k-means clustering settings, with scikit-learn `KMeans` semantics
/// (`algorithm="lloyd"`, `init="k-means++"`, unit sample weights).
///
/// `fit` centres X on its column means, seeds `nInit` runs with greedy
/// k-means++ (Arthur & Vassilvitskii 2007; see `KMeansPlusPlus`), runs Lloyd's
/// algorithm from each (Lloyd 1982; see `Lloyd`) and keeps the run with the
/// lowest inertia (a later run replaces the best only when its inertia is strictly
/// lower and its labels are not the same partition, as scikit-learn).
///
/// Seeding: run r (0-based) uses `Xoshiro256StarStar(seed: sᵣ)` where s₀, s₁, …
/// are the successive outputs of `SplitMix64(seed: seed)`. The same settings and
/// input give a bitwise-identical result whatever the number of threads.
///
/// ```swift
/// let x = Matrix(rows: [[0, 0], [0, 1], [10, 10], [10, 11]])
/// let result = try KMeans(clusterCount: 2, seed: 42).fit(x).canonicallyOrdered()
/// // result.inertia == 1.0
/// ```
///
/// Complexity: O(nInit · (maxIter · n·k·d + k·ln k·n·d)) time, O(n·(d + ln k)) memory.
public struct KMeans: Sendable {
    /// k = `n_clusters`, the number of clusters; ≥ 1.
    public var clusterCount: Int
    /// `n_init`: number of seeded runs; the lowest inertia wins. Default 10; ≥ 1.
    /// (scikit-learn ≥ 1.4 defaults to `"auto"`, one run for k-means++; we keep
    /// 10 runs, its former default, because a nightly job can afford them and a
    /// single run depends more on the seed.)
    public var nInit: Int = 10
    /// `max_iter`: Lloyd iterations per run. Default 300; ≥ 1.
    public var maxIter: Int = 300
    /// `tol`: a run stops when the total squared centre shift is
    /// ≤ `tol · mean(var(X, axis=0))` (relative to the mean per-feature
    /// population variance, as scikit-learn). Default 1e-4; finite and ≥ 0.
    public var tol: Double = 1e-4
    /// Seed of the random generator (see the type's discussion). Default 0.
    public var seed: UInt64 = 0
    /// Worker threads for chunked steps; internal, for determinism tests.
    var workerCount: Int = ChunkedParallel.defaultWorkerCount

    public init(clusterCount: Int, nInit: Int = 10, maxIter: Int = 300, tol: Double = 1e-4, seed: UInt64 = 0) {
        self.clusterCount = clusterCount
        self.nInit = nInit
        self.maxIter = maxIter
        self.tol = tol
        self.seed = seed
    }

    /// Clusters the rows of `x` with `nInit` k-means++ seeded runs.
    ///
    /// - Parameter x: n × d, row-major, all values finite, n ≥ k, d ≥ 1.
    /// - Returns: the best run; `centroids` k × d, `labels` and `distances` of length n.
    /// - Throws: `EngineError.invalidParameter` for a setting out of range;
    ///   `.emptyMatrix` (n = 0); `.noFeatures` (d = 0); `.nonFiniteInput` (NaN/±inf in x);
    ///   `.tooFewSamples(n:k:)` when n < k.
    public func fit(_ x: Matrix) throws -> KMeansResult {
        try validate(x)
        let data = CenteredData(x, tol: tol)
        var seeds = SplitMix64(seed: seed)
        var best: Lloyd.Outcome?
        for _ in 0..<nInit {
            var rng = Xoshiro256StarStar(seed: seeds.next())
            let initial = KMeansPlusPlus.initialCentres(data, k: clusterCount, rng: &rng, workers: workerCount)
            let outcome = Lloyd.run(data, initialCentres: initial, k: clusterCount, maxIter: maxIter,
                                    workers: workerCount)
            if let b = best {
                if outcome.inertia < b.inertia && !Self.isSameClustering(outcome.labels, b.labels, k: clusterCount) {
                    best = outcome
                }
            } else {
                best = outcome
            }
        }
        return makeResult(best!, data: data)
    }

    /// One Lloyd run from the given centres (scikit-learn with `init=array`,
    /// `n_init=1`); `nInit` and `seed` are not used.
    ///
    /// - Parameters:
    ///   - x: n × d, all values finite, n ≥ k, d ≥ 1.
    ///   - initialCentroids: k × d starting centres, finite.
    /// - Throws: as `fit(_:)`, plus `.shapeMismatch` when `initialCentroids` is not
    ///   k × d and `.nonFiniteInput(name: "initial_centroids", …)`.
    public func fit(_ x: Matrix, initialCentroids: Matrix) throws -> KMeansResult {
        try validate(x)
        guard initialCentroids.rows == clusterCount, initialCentroids.columns == x.columns else {
            throw EngineError.shapeMismatch(name: "initial_centroids", expectedRows: clusterCount,
                                            expectedColumns: x.columns, rows: initialCentroids.rows,
                                            columns: initialCentroids.columns)
        }
        if let bad = initialCentroids.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "initial_centroids", count: bad.count, row: bad.row, column: bad.column)
        }
        let data = CenteredData(x, tol: tol)
        let outcome = Lloyd.run(data, initialCentres: data.centre(initialCentroids), k: clusterCount,
                                maxIter: maxIter, workers: workerCount)
        return makeResult(outcome, data: data)
    }

    private func validate(_ x: Matrix) throws {
        guard clusterCount >= 1 else {
            throw EngineError.invalidParameter(name: "n_clusters", value: "\(clusterCount)", rule: ">= 1")
        }
        guard nInit >= 1 else { throw EngineError.invalidParameter(name: "n_init", value: "\(nInit)", rule: ">= 1") }
        guard maxIter >= 1 else {
            throw EngineError.invalidParameter(name: "max_iter", value: "\(maxIter)", rule: ">= 1")
        }
        guard tol.isFinite, tol >= 0 else {
            throw EngineError.invalidParameter(name: "tol", value: "\(tol)", rule: "finite and >= 0")
        }
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        guard x.rows >= clusterCount else { throw EngineError.tooFewSamples(n: x.rows, k: clusterCount) }
    }

    private func makeResult(_ outcome: Lloyd.Outcome, data: CenteredData) -> KMeansResult {
        let k = clusterCount
        var warnings: [String] = []
        let distinctClusters = Set(outcome.labels).count
        // Identical rows always get the same label, so k clusters in use imply at
        // least k distinct rows: the O(n·log n·d) count is only needed otherwise.
        if distinctClusters < k {
            let distinctPoints = data.distinctRowCount()
            if distinctPoints < k {
                warnings.append("n_distinct_points=\(distinctPoints) < n_clusters=\(k)")
            }
            warnings.append("n_distinct_clusters=\(distinctClusters) < n_clusters=\(k) (possibly due to duplicate points)")
        }
        if !outcome.converged {
            warnings.append("not converged in max_iter=\(maxIter)")
        }
        return KMeansResult(
            centroids: data.uncentre(outcome.centres, k: k),
            labels: outcome.labels,
            distances: outcome.squaredDistances.map { $0.squareRoot() },
            inertia: outcome.inertia,
            iterationCount: outcome.iterations,
            converged: outcome.converged,
            warnings: warnings)
    }

    /// scikit-learn `_is_same_clustering`: whether `a` maps consistently onto `b`.
    static func isSameClustering(_ a: [Int], _ b: [Int], k: Int) -> Bool {
        var mapping = [Int](repeating: -1, count: k)
        for i in a.indices {
            if mapping[a[i]] == -1 {
                mapping[a[i]] = b[i]
            } else if mapping[a[i]] != b[i] {
                return false
            }
        }
        return true
    }
}
