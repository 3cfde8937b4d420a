import Foundation

/// Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering"), with
/// scikit-learn `MiniBatchKMeans` semantics (`init="k-means++"`, unit sample
/// weights, `compute_labels=True`).
///
/// 1. Initialisation: `nInit` candidate seedings, each greedy k-means++ (see
///    `KMeansPlusPlus`) on `initSize` rows drawn with replacement; the one with
///    the lowest inertia on a validation set of `initSize` rows (also drawn with
///    replacement, before the seedings) is kept.
/// 2. ⌊maxIter · n / batchSize⌋ steps; each draws `batchSize` row indices
///    uniformly with replacement, copies those rows into a batch buffer,
///    assigns them to their nearest centres and moves each centre to the running
///    mean of every row it has been given so far: cⱼ ← (cⱼ·countⱼ + Σ batch rows)
///    / (countⱼ + nⱼ) — a per-centre learning rate 1/countⱼ.
/// 3. Low-count reassignment (`reassignmentRatio`): at the first step, whenever
///    some centre has count 0, and every time 10·k rows have been seen, centres
///    with count < ratio · max count (at most ⌊batchSize/2⌋ of them; the lowest
///    counts first) jump to distinct random rows of the current batch and their
///    counts become the smallest count of the others.
/// 4. Stopping, after the first step: the batch inertia per row is smoothed
///    with an exponentially weighted average (α = min(1, 2·batchSize/(n + 1)));
///    stop when it has not reached a new minimum for `maxNoImprovement`
///    consecutive steps, or (when `tol` > 0) when the squared centre movement
///    Σⱼ‖cⱼ′ − cⱼ‖² of a step is ≤ tol · mean(var(X, axis=0)).
/// 5. Labels, distances and inertia are computed on all n rows from the final
///    centres, reading X in chunks.
///
/// Result fields: `iterationCount` is scikit-learn's `n_iter_`, the number of
/// passes over the data, ⌈steps · batchSize / n⌉; `converged` is true when a
/// stopping rule ended the run before the last step.
///
/// Randomness: one `Xoshiro256StarStar(seed: seed)` stream, drawn in
/// scikit-learn's order (validation rows, then per seeding its rows and its
/// k-means++ draws, then per step the batch rows and any reassignment rows).
/// scikit-learn draws with NumPy's Mersenne Twister, so results match it in
/// distribution, not bitwise. The same settings and input give a bitwise
/// identical result whatever the number of threads.
///
/// Differences from scikit-learn: no `sample_weight`, `init` array or
/// `partial_fit`; `reassignmentRatio` must be ≤ 1 (above 1 scikit-learn can
/// reassign every centre and then fails taking the minimum of no counts); ties
/// among equal counts when capping reassignments go to the lower centre index
/// (NumPy's argsort is not stable); X is not centred (like scikit-learn's
/// mini-batch, unlike its `KMeans`).
///
/// ```swift
/// let r = try MiniBatchKMeans(clusterCount: 4, seed: 1).fit(x)   // x: n × d
/// ```
///
/// Complexity: O(steps · batchSize · k · d + n·k·d) time with steps ≤ maxIter · n /
/// batchSize (usually far fewer: early stopping); O(n + (batchSize + initSize)·d +
/// k·d) memory besides X.
public struct MiniBatchKMeans: Sendable {
    /// k = `n_clusters`; ≥ 1 and ≤ n.
    public var clusterCount: Int
    /// `batch_size`: rows per step. Default 1024; ≥ 1 (capped at n).
    public var batchSize: Int = 1024
    /// `max_iter`: bound on passes over the data (steps = ⌊maxIter · n / batchSize⌋). Default 100; ≥ 1.
    public var maxIter: Int = 100
    /// `n_init`: k-means++ seedings tried; the best on the validation rows is used
    /// (the algorithm itself runs once). Default 1 (scikit-learn's `"auto"` for
    /// k-means++); ≥ 1.
    public var nInit: Int = 1
    /// `init_size`: rows per seeding and validation set. Default nil →
    /// 3 · batchSize, or 3·k if that is smaller than k; a value < k is replaced by
    /// 3·k with a warning; capped at n.
    public var initSize: Int?
    /// `reassignment_ratio`: fraction of the largest count below which a centre
    /// is moved to a random row. Default 0.01; 0 ≤ ratio ≤ 1 (0 disables).
    public var reassignmentRatio: Double = 0.01
    /// `max_no_improvement`: stop after this many consecutive steps without a new
    /// minimum of the smoothed batch inertia; nil disables. Default 10; ≥ 0.
    public var maxNoImprovement: Int? = 10
    /// `tol`: stop when a step's squared centre movement is ≤ tol · mean
    /// per-feature variance of X. Default 0 (rule disabled); finite, ≥ 0.
    public var tol: Double = 0
    /// Seed of the random stream. Default 0.
    public var seed: UInt64 = 0
    /// Worker threads; internal, for determinism tests.
    var workerCount: Int = ChunkedParallel.defaultWorkerCount

    public init(clusterCount: Int, batchSize: Int = 1024, maxIter: Int = 100, nInit: Int = 1,
                initSize: Int? = nil, reassignmentRatio: Double = 0.01, maxNoImprovement: Int? = 10,
                tol: Double = 0, seed: UInt64 = 0) {
        self.clusterCount = clusterCount
        self.batchSize = batchSize
        self.maxIter = maxIter
        self.nInit = nInit
        self.initSize = initSize
        self.reassignmentRatio = reassignmentRatio
        self.maxNoImprovement = maxNoImprovement
        self.tol = tol
        self.seed = seed
    }

    /// Clusters the rows of `x`.
    ///
    /// - Parameter x: n × d, row-major, finite, n ≥ k, d ≥ 1.
    /// - Returns: centroids k × d, labels/distances of all n rows, their inertia.
    /// - Throws: `EngineError.invalidParameter` for a setting out of range;
    ///   `.emptyMatrix`; `.noFeatures`; `.nonFiniteInput`; `.tooFewSamples` (n < k).
    public func fit(_ x: Matrix) throws -> KMeansResult {
        try run(x).result
    }

    /// The fit plus scikit-learn's `n_steps_`.
    func run(_ x: Matrix) throws -> (result: KMeansResult, steps: Int) {
        try validate(x)
        let n = x.rows, d = x.columns, k = clusterCount
        var warnings: [String] = []
        let batch = min(batchSize, n)
        var initRows: Int
        if let requested = initSize {
            initRows = requested
            if requested < k {
                warnings.append("init_size=\(requested) should be larger than n_clusters=\(k); using init_size=\(3 * k)")
                initRows = 3 * k
            }
        } else {
            initRows = 3 * batch
            if initRows < k { initRows = 3 * k }
        }
        initRows = min(initRows, n)
        let absoluteTolerance = tol > 0 ? tol * Self.meanVariance(x) : 0

        var rng = Xoshiro256StarStar(seed: seed)
        let validation = Self.gather(x, (0..<initRows).map { _ in rng.uniformInt(below: n) })
        var centres: [Double] = []
        var bestInertia = Double.infinity
        for _ in 0..<nInit {
            let candidate = seeding(x, initRows: initRows, rng: &rng)
            let inertia = Self.inertia(validation, centres: candidate, k: k, workers: workerCount)
            if centres.isEmpty || inertia < bestInertia {
                centres = candidate
                bestInertia = inertia
            }
        }

        var state = MiniBatchState(k: k, d: d, batchSize: batch, n: n, reassignmentRatio: reassignmentRatio,
                                   maxNoImprovement: maxNoImprovement, absoluteTolerance: absoluteTolerance)
        let stepCount = (maxIter * n) / batch
        var stepsRun = 0
        var stoppedEarly = false
        var batchRows = [Double](repeating: 0, count: batch * d)
        var batchLabels = [Int](repeating: 0, count: batch)
        x.values.withUnsafeBufferPointer { xb in
            for step in 0..<stepCount {
                stepsRun = step + 1
                batchRows.withUnsafeMutableBufferPointer { bb in
                    for t in 0..<batch {
                        let row = rng.uniformInt(below: n)
                        (bb.baseAddress! + t * d).update(from: xb.baseAddress! + row * d, count: d)
                    }
                }
                let reassign = state.dueForReassignment()
                let batchInertia = batchRows.withUnsafeBufferPointer { bb in
                    batchLabels.withUnsafeMutableBufferPointer { lb in
                        NearestCentre.assign(bb.baseAddress!, rows: batch, columns: d, centres: centres, k: k,
                                             labels: lb.baseAddress!, squaredDistances: nil, workers: workerCount)
                    }
                }
                var updated = state.update(centres: centres, batch: batchRows, labels: batchLabels)
                if reassign {
                    state.reassignLowCounts(&updated, batch: batchRows, rng: &rng)
                }
                var movement = 0.0
                if absoluteTolerance > 0 {
                    for t in 0..<(k * d) { let v = updated[t] - centres[t]; movement += v * v }
                }
                centres = updated
                if state.shouldStop(step: step, batchInertia: batchInertia, movement: movement) {
                    stoppedEarly = true
                    break
                }
            }
        }

        var labels = [Int](repeating: 0, count: n)
        var squared = [Double](repeating: 0, count: n)
        let inertia = x.values.withUnsafeBufferPointer { xb in
            labels.withUnsafeMutableBufferPointer { lb in
                squared.withUnsafeMutableBufferPointer { sb in
                    NearestCentre.assign(xb.baseAddress!, rows: n, columns: d, centres: centres, k: k,
                                         labels: lb.baseAddress!, squaredDistances: sb.baseAddress!,
                                         workers: workerCount)
                }
            }
        }
        let distinct = Set(labels).count
        if distinct < k {
            warnings.append("n_distinct_clusters=\(distinct) < n_clusters=\(k)")
        }
        let passes = (stepsRun * batch + n - 1) / n
        let result = KMeansResult(centroids: Matrix(rows: k, columns: d, values: centres), labels: labels,
                                  distances: squared.map { $0.squareRoot() }, inertia: inertia,
                                  iterationCount: passes, converged: stoppedEarly, warnings: warnings)
        return (result, stepsRun)
    }

    /// One k-means++ seeding on `initRows` rows drawn with replacement (all of X
    /// when initRows = n, as scikit-learn); k × d centres in input units.
    private func seeding(_ x: Matrix, initRows: Int, rng: inout Xoshiro256StarStar) -> [Double] {
        let n = x.rows
        let sample = initRows < n ? Self.gather(x, (0..<initRows).map { _ in rng.uniformInt(below: n) }) : x
        let data = CenteredData(sample, tol: 0)
        let centred = KMeansPlusPlus.initialCentres(data, k: clusterCount, rng: &rng, workers: workerCount)
        return data.uncentre(centred, k: clusterCount).values
    }

    static func gather(_ x: Matrix, _ rows: [Int]) -> Matrix {
        var values = [Double]()
        values.reserveCapacity(rows.count * x.columns)
        for r in rows { values.append(contentsOf: x.values[(r * x.columns)..<((r + 1) * x.columns)]) }
        return Matrix(rows: rows.count, columns: x.columns, values: values)
    }

    static func inertia(_ x: Matrix, centres: [Double], k: Int, workers: Int) -> Double {
        var labels = [Int](repeating: 0, count: x.rows)
        return x.values.withUnsafeBufferPointer { xb in
            labels.withUnsafeMutableBufferPointer { lb in
                NearestCentre.assign(xb.baseAddress!, rows: x.rows, columns: x.columns, centres: centres, k: k,
                                     labels: lb.baseAddress!, squaredDistances: nil, workers: workers)
            }
        }
    }

    /// mean(var(X, axis=0)), population variances, two passes.
    static func meanVariance(_ x: Matrix) -> Double {
        let n = x.rows, d = x.columns
        var mean = [Double](repeating: 0, count: d), variance = [Double](repeating: 0, count: d)
        for i in 0..<n { for c in 0..<d { mean[c] += x.values[i * d + c] } }
        for c in 0..<d { mean[c] /= Double(n) }
        for i in 0..<n { for c in 0..<d { let t = x.values[i * d + c] - mean[c]; variance[c] += t * t } }
        return variance.reduce(0) { $0 + $1 / Double(n) } / Double(d)
    }

    private func validate(_ x: Matrix) throws {
        func bad(_ name: String, _ value: Any, _ rule: String) -> EngineError {
            .invalidParameter(name: name, value: "\(value)", rule: rule)
        }
        guard clusterCount >= 1 else { throw bad("n_clusters", clusterCount, ">= 1") }
        guard batchSize >= 1 else { throw bad("batch_size", batchSize, ">= 1") }
        guard maxIter >= 1 else { throw bad("max_iter", maxIter, ">= 1") }
        guard nInit >= 1 else { throw bad("n_init", nInit, ">= 1") }
        if let s = initSize, s < 1 { throw bad("init_size", s, ">= 1") }
        guard reassignmentRatio.isFinite, reassignmentRatio >= 0, reassignmentRatio <= 1 else {
            throw bad("reassignment_ratio", reassignmentRatio, "in [0, 1]")
        }
        if let m = maxNoImprovement, m < 0 { throw bad("max_no_improvement", m, ">= 0") }
        guard tol.isFinite, tol >= 0 else { throw bad("tol", tol, "finite and >= 0") }
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        if let b = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: b.count, row: b.row, column: b.column)
        }
        guard x.rows >= clusterCount else { throw EngineError.tooFewSamples(n: x.rows, k: clusterCount) }
    }
}
