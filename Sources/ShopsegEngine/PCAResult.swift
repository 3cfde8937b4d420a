import CBLAS

/// A fitted principal component analysis, as returned by `PCA.fit`; projects
/// the fitted rows or new rows.
///
/// k is the number of kept components, d the number of features.
public struct PCAResult: Sendable, Equatable {
    /// d column means of the fitted X (scikit-learn `mean_`), subtracted before projecting.
    public let mean: [Double]
    /// k × d, row-major (`components_`): principal axes by decreasing variance; each
    /// row is a unit vector, signed by the rule in `PCA`.
    public let components: Matrix
    /// k variances along the components, S²/(n − 1) (`explained_variance_`; 0 when n = 1).
    public let explainedVariance: [Double]
    /// k fractions of the total variance (`explained_variance_ratio_`; the total is over
    /// all min(n, d) components; 0 when the total is 0).
    public let explainedVarianceRatio: [Double]
    /// k singular values of the centred X (`singular_values_`).
    public let singularValues: [Double]
    /// n, the number of fitted rows (`n_samples_`).
    public let sampleCount: Int
    /// Degenerate-but-valid outcomes (n = 1, zero total variance).
    public let warnings: [String]
    /// Chunking used by `transform` (deterministic whatever the worker count).
    let chunkSize: Int
    let workerCount: Int

    /// Scores (X − mean)·componentsᵀ, as scikit-learn `PCA.transform`.
    ///
    /// - Parameter x: m × d, row-major, finite; m may be 0 (new rows are fine).
    /// - Returns: m × k scores, row-major.
    /// - Throws: `EngineError.shapeMismatch` when `x.columns ≠ d`; `.nonFiniteInput`.
    ///
    /// Complexity: O(m·d·k) time (`cblas_dgemm` per chunk of rows, in parallel), O(m·k) memory.
    public func transform(_ x: Matrix) throws -> Matrix {
        let d = mean.count, k = components.rows
        guard x.columns == d else {
            throw EngineError.shapeMismatch(name: "X", expectedRows: x.rows, expectedColumns: d,
                                            rows: x.rows, columns: x.columns)
        }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        let m = x.rows
        var out = [Double](repeating: 0, count: m * k)
        guard m > 0 else { return Matrix(rows: 0, columns: k, values: []) }
        _ = DistanceKernels.singleThreadedBLAS
        let c = components.values, mu = mean
        x.values.withUnsafeBufferPointer { xb in
            out.withUnsafeMutableBufferPointer { ob in
                let shared = UncheckedSendable(value: (xb, ob))
                _ = ChunkedParallel.map(count: m, chunkSize: chunkSize, workers: workerCount) { _, rows in
                    let (xb, ob) = shared.value
                    // Centre first (as scikit-learn): X·Cᵀ − mean·Cᵀ would cancel badly for large means.
                    var centred = [Double](repeating: 0, count: rows.count * d)
                    for (i, row) in rows.enumerated() {
                        for j in 0..<d { centred[i * d + j] = xb[row * d + j] - mu[j] }
                    }
                    cblas_dgemm(CblasRowMajor, CblasNoTrans, CblasTrans, Int32(rows.count), Int32(k), Int32(d),
                                1, centred, Int32(d), c, Int32(d), 0, ob.baseAddress! + rows.lowerBound * k, Int32(k))
                    return 0
                }
            }
        }
        return Matrix(rows: m, columns: k, values: out)
    }

    /// The two plotting coordinates (first and second principal component scores)
    /// of each row of `x` (m × d): `pc2` is all 0 when fewer than 2 components were
    /// kept (d = 1, n = 1, or a count/fraction of 1).
    /// - Throws: as `transform`.
    public func planeCoordinates(_ x: Matrix) throws -> (pc1: [Double], pc2: [Double]) {
        let scores = try transform(x)
        let k = scores.columns
        let pc1 = (0..<scores.rows).map { scores.values[$0 * k] }
        let pc2 = k >= 2 ? (0..<scores.rows).map { scores.values[$0 * k + 1] }
                         : [Double](repeating: 0, count: scores.rows)
        return (pc1, pc2)
    }
}

/// The always-on 2-D map of the rows: the fitted 2-component PCA and each row's
/// coordinates on it.
public struct PCAPlane: Sendable, Equatable {
    /// The fitted PCA with k = min(2, n, d) components; project new rows with
    /// `model.planeCoordinates(_:)`.
    public let model: PCAResult
    /// n first-component scores.
    public let pc1: [Double]
    /// n second-component scores; all 0 when d = 1 or n = 1 (one component only).
    public let pc2: [Double]
}

extension PCA {
    /// Fits a PCA with min(2, n, d) components to `x` (n × d, finite, n ≥ 1, d ≥ 1)
    /// and returns each row's (pc1, pc2).
    ///
    /// d = 1: the single component is ±1 (sign rule: +1), pc1 = x − mean, pc2 = 0.
    /// n = 1: the row is its own mean, so pc1 = pc2 = 0 (and the model's explained
    /// variance is 0, with a warning).
    /// - Throws: as `PCA.fit`.
    public static func plane(_ x: Matrix) throws -> PCAPlane {
        let k = max(1, min(2, x.rows, x.columns))
        let model = try PCA(nComponents: .count(k)).fit(x)
        let (pc1, pc2) = try model.planeCoordinates(x)
        return PCAPlane(model: model, pc1: pc1, pc2: pc2)
    }
}
