/// A fitted DBSCAN clustering, as returned by `DBSCAN.fit`.
public struct DBSCANResult: Sendable, Equatable {
    /// n labels: −1 for noise, else the cluster in `0..<clusterCount`, numbered as
    /// scikit-learn's `labels_` (by the smallest core row index of each cluster).
    public let labels: [Int]
    /// Row indices of the core samples, ascending (scikit-learn `core_sample_indices_`).
    public let coreSampleIndices: [Int]
    /// Number of clusters (0 when every row is noise).
    public let clusterCount: Int
    /// Number of rows labelled −1.
    public let noiseCount: Int
    /// Degenerate-but-valid outcomes, e.g. every row is noise.
    public let warnings: [String]
    /// What must be stored to label new rows later: eps and the core samples with
    /// their labels.
    public let model: DBSCANModel
}

/// The part of a DBSCAN fit needed to label new rows: `eps`, the core samples'
/// coordinates (scikit-learn `components_`) and their cluster labels.
///
/// scikit-learn's `DBSCAN` has no `predict`. `predict` here uses the usual rule
/// for density-based clusters: a new row joins the cluster of its nearest core
/// sample if that core sample is within `eps` (distance ≤ eps), otherwise it is
/// noise (−1). This is how a fitted border row would be labelled, except that a
/// border row in the fit takes the lowest-numbered reachable cluster rather than
/// the nearest. New rows never become core samples and never merge clusters.
///
/// Persist `eps`, `components` (m × d, row-major) and `componentLabels` (m), and
/// rebuild with `init(eps:components:componentLabels:)`.
public struct DBSCANModel: Sendable, Equatable {
    /// The radius of the fit, Euclidean, in the units of X; finite and > 0.
    public let eps: Double
    /// m × d: the core samples' rows, in ascending row order (m = 0 when all noise).
    public let components: Matrix
    /// m cluster labels (≥ 0) of the core samples, aligned with `components`.
    public let componentLabels: [Int]

    /// Rebuilds a stored model.
    /// - Throws: `EngineError.invalidParameter` when `eps` is not finite and > 0 or a
    ///   label is negative; `.labelCount` when `componentLabels.count ≠ components.rows`;
    ///   `.nonFiniteInput(name: "components", …)`.
    public init(eps: Double, components: Matrix, componentLabels: [Int]) throws {
        guard eps.isFinite, eps > 0 else {
            throw EngineError.invalidParameter(name: "eps", value: "\(eps)", rule: "finite and > 0")
        }
        guard componentLabels.count == components.rows else {
            throw EngineError.labelCount(labels: componentLabels.count, samples: components.rows)
        }
        if let bad = componentLabels.first(where: { $0 < 0 }) {
            throw EngineError.invalidParameter(name: "component_labels", value: "\(bad)", rule: ">= 0")
        }
        if let bad = components.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "components", count: bad.count, row: bad.row, column: bad.column)
        }
        self.init(validatedEps: eps, components: components, componentLabels: componentLabels)
    }

    init(validatedEps eps: Double, components: Matrix, componentLabels: [Int]) {
        self.eps = eps
        self.components = components
        self.componentLabels = componentLabels
    }

    /// Labels new rows: the label of the nearest core sample within `eps`
    /// (inclusive; ties to the earlier core sample), else −1.
    ///
    /// - Parameter x: m′ × d, finite, d = `components.columns` (any d when there
    ///   are no core samples, then every row is noise).
    /// - Returns: m′ labels.
    /// - Throws: `.shapeMismatch(name: "X", …)` when d differs; `.nonFiniteInput`.
    ///
    /// Complexity: O(m·d·log m) to build a k-d tree over the core samples (d ≤ 30;
    /// brute force above), then about O(log m) per row on low-dimensional data.
    public func predict(_ x: Matrix) throws -> [Int] {
        try predict(x, workers: ChunkedParallel.defaultWorkerCount)
    }

    func predict(_ x: Matrix, workers: Int) throws -> [Int] {
        let d = components.columns
        if components.rows > 0 && x.columns != d {
            throw EngineError.shapeMismatch(name: "X", expectedRows: x.rows, expectedColumns: d,
                                            rows: x.rows, columns: x.columns)
        }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        guard components.rows > 0, x.rows > 0 else { return [Int](repeating: -1, count: x.rows) }
        let index: any RadiusNeighbourIndex = d <= DBSCAN.treeDimensionLimit
            ? KDTree(components, leafSize: DBSCAN.leafSize) : BruteForceIndex(components)
        let r2 = eps * eps
        return x.values.withUnsafeBufferPointer { xs in
            let base = xs.baseAddress!
            return ChunkedParallel.map(count: x.rows, chunkSize: 1024, workers: workers) { _, range in
                range.map { i -> Int in
                    guard let hit = index.nearest(to: base + i * d, within: r2) else { return -1 }
                    return componentLabels[index.order[hit.position]]
                }
            }.flatMap { $0 }
        }
    }
}
