/// A fitted k-means clustering, as returned by `KMeans.fit` and `MiniBatchKMeans.fit`.
public struct KMeansResult: Sendable, Equatable {
    /// k × d cluster centres, in input units.
    public let centroids: Matrix
    /// n labels in `0..<k`; `labels[i]` is the cluster of row i.
    public let labels: [Int]
    /// n Euclidean distances of each row to its centroid (input units).
    public let distances: [Double]
    /// Sum of squared distances of rows to their centroids (input units squared).
    public let inertia: Double
    /// scikit-learn `n_iter_`, 1 … `maxIter`: Lloyd iterations run (`KMeans`), or
    /// passes over the data ⌈steps · batchSize / n⌉ (`MiniBatchKMeans`).
    public let iterationCount: Int
    /// Whether the run stopped on unchanged labels or on the centre-shift tolerance
    /// rather than on `maxIter` (`MiniBatchKMeans`: whether `tol` or
    /// `maxNoImprovement` ended it before its last step).
    public let converged: Bool
    /// Degenerate-but-valid outcomes, e.g. `n_distinct_points=3 < n_clusters=5`,
    /// `not converged in max_iter=300`.
    public let warnings: [String]

    /// The same clustering with labels renumbered canonically: clusters sorted by
    /// size descending, ties by centroid compared lexicographically (ascending),
    /// then by old label. Label 0 is the largest cluster. Centroids are permuted
    /// to match; distances, inertia and the rest are unchanged. Idempotent.
    public func canonicallyOrdered() -> KMeansResult {
        let k = centroids.rows
        var sizes = [Int](repeating: 0, count: k)
        for l in labels { sizes[l] += 1 }
        let order = (0..<k).sorted { a, b in
            if sizes[a] != sizes[b] { return sizes[a] > sizes[b] }
            let ra = centroids.row(a), rb = centroids.row(b)
            if ra != rb { return ra.lexicographicallyPrecedes(rb) }
            return a < b
        }
        var newLabel = [Int](repeating: 0, count: k)
        for (position, old) in order.enumerated() { newLabel[old] = position }
        return KMeansResult(
            centroids: Matrix(rows: k, columns: centroids.columns, values: order.flatMap { centroids.row($0) }),
            labels: labels.map { newLabel[$0] },
            distances: distances,
            inertia: inertia,
            iterationCount: iterationCount,
            converged: converged,
            warnings: warnings)
    }
}
