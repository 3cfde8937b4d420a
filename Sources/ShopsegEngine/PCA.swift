import Foundation

/// Principal component analysis settings, with scikit-learn
/// `PCA(svd_solver="full")` semantics (no whitening).
///
/// `fit` centres X on its column means and takes the thin SVD of the centred
/// matrix, X − mean = U·S·Vᵀ (Pearson 1901; computed by TSQR + `LAPACKE_dgesdd`,
/// see `CenteredSVD`, which needs O(chunk·d) extra memory instead of a copy of X:
/// n = 1 000 000, d = 50 fits next to the 400 MB input). The components are the rows
/// of Vᵀ, by decreasing singular value.
///
/// **Sign convention** (scikit-learn 1.9.1 `svd_flip(U, Vt, u_based_decision=False)`,
/// as `PCA` uses it): each component is negated if needed so that its entry of
/// largest absolute value (the first such entry on exact ties) is positive. When
/// two entries of a component have nearly equal magnitude, rounding can decide
/// which is "largest", so signs may differ from scikit-learn's in such cases.
///
/// ```swift
/// let x = Matrix(rows: [[0, 0], [1, 1], [2, 2], [3, 3.5]])
/// let pca = try PCA(nComponents: .count(1)).fit(x)
/// let scores = try pca.transform(x)        // 4 × 1
/// ```
///
/// Differences from scikit-learn: with n = 1 (or all rows equal) scikit-learn
/// reports NaN explained variances and ratios (0/0); here they are 0, with a
/// warning. A fraction `nComponents` whose cumulative ratio never exceeds the
/// fraction (rounding) keeps all min(n, d) components (scikit-learn would ask for
/// one more than exist). `nComponents` = 0 is not allowed.
///
/// Complexity: O(n·d²) time, O(w·chunk·d + (n/chunk)·d²) extra memory for w workers.
public struct PCA: Sendable {
    /// How many components to keep (`n_components`).
    public enum ComponentCount: Sendable, Equatable {
        /// Exactly this many, 1 … min(n, d).
        case count(Int)
        /// The smallest number whose cumulative explained-variance ratio is strictly
        /// greater than this fraction, in (0, 1); scikit-learn's rule
        /// `searchsorted(cumsum(ratio), fraction, side="right") + 1`.
        case varianceFraction(Double)
        /// All min(n, d) components (scikit-learn `n_components=None`).
        case all
    }

    /// `n_components`. Default `.all`.
    public var nComponents: ComponentCount = .all
    /// Rows per TSQR chunk; internal, for tests (≥ d is enforced).
    var chunkSize: Int = 4096
    /// Worker threads; internal, for determinism tests.
    var workerCount: Int = ChunkedParallel.defaultWorkerCount

    public init(nComponents: ComponentCount = .all) {
        self.nComponents = nComponents
    }

    /// Fits the principal components of `x`.
    ///
    /// - Parameter x: n × d, row-major, all values finite; n ≥ 1, d ≥ 1.
    /// - Returns: k components (k × d), their variances and the column means.
    /// - Throws: `EngineError.emptyMatrix` (n = 0); `.noFeatures` (d = 0);
    ///   `.nonFiniteInput` (NaN/±inf); `.invalidParameter` for a count outside
    ///   1 … min(n, d) or a fraction outside (0, 1).
    public func fit(_ x: Matrix) throws -> PCAResult {
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        let n = x.rows, d = x.columns, p = min(n, d)
        switch nComponents {
        case let .count(c) where !(1...p).contains(c):
            throw EngineError.invalidParameter(name: "n_components", value: "\(c)",
                                               rule: "between 1 and min(n_samples, n_features)=\(p)")
        case let .varianceFraction(f) where !(f > 0 && f < 1):
            throw EngineError.invalidParameter(name: "n_components", value: "\(f)",
                                               rule: "a fraction in (0, 1) or a count >= 1")
        default: break
        }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        let chunk = max(chunkSize, d)
        let mean = columnMeans(x, chunkSize: chunk)
        let svd = CenteredSVD.compute(x, mean: mean, chunkSize: chunk, workers: workerCount)
        var s = svd.singularValues, vt = svd.vt
        var warnings: [String] = []

        // explained_variance_ = S² / (n − 1), as scikit-learn; undefined for n = 1.
        var variance = s.map { n > 1 ? $0 * $0 / Double(n - 1) : 0 }
        if n == 1 {
            warnings.append("n_samples=1: explained variance is undefined (n_samples - 1 = 0); reported as 0")
        }
        let total = variance.reduce(0, +)
        if total == 0 {
            // Every direction is equally (not) explained: use the unit vectors, as
            // scikit-learn's LAPACK returns for a zero matrix, and report ratios 0.
            for i in 0..<p {
                for j in 0..<d { vt[i * d + j] = i == j ? 1 : 0 }
            }
            s = [Double](repeating: 0, count: p)
            variance = s
            if n > 1 {
                warnings.append("total variance is 0 (all rows equal); explained_variance_ratio reported as 0")
            }
        }
        PCA.flipSigns(&vt, rows: p, columns: d)
        let ratio = variance.map { total > 0 ? $0 / total : 0 }
        let k = componentCount(ratio: ratio, available: p)
        return PCAResult(
            mean: mean,
            components: Matrix(rows: k, columns: d, values: Array(vt[0..<(k * d)])),
            explainedVariance: Array(variance[0..<k]),
            explainedVarianceRatio: Array(ratio[0..<k]),
            singularValues: Array(s[0..<k]),
            sampleCount: n,
            warnings: warnings,
            chunkSize: chunk,
            workerCount: workerCount)
    }

    /// k for the setting, given all p explained-variance ratios.
    private func componentCount(ratio: [Double], available p: Int) -> Int {
        switch nComponents {
        case let .count(c): return c
        case .all: return p
        case let .varianceFraction(f):
            // searchsorted(cumsum, f, side="right") + 1: count of cumulative sums ≤ f, plus one.
            var cumulative = 0.0, atMost = 0
            for r in ratio {
                cumulative += r
                if cumulative <= f { atMost += 1 } else { break }
            }
            return min(atMost + 1, p)
        }
    }

    /// scikit-learn `svd_flip(u_based_decision=False)`: each row's entry of largest
    /// magnitude (first on ties) made positive.
    static func flipSigns(_ vt: inout [Double], rows: Int, columns d: Int) {
        for i in 0..<rows {
            var best = 0
            for j in 1..<max(d, 1) where abs(vt[i * d + j]) > abs(vt[i * d + best]) { best = j }
            if vt[i * d + best] < 0 {
                for j in 0..<d { vt[i * d + j] = -vt[i * d + j] }
            }
        }
    }

    /// Column means: per-chunk sums in parallel, added in chunk order (deterministic).
    private func columnMeans(_ x: Matrix, chunkSize: Int) -> [Double] {
        let d = x.columns
        let sums: [[Double]] = x.values.withUnsafeBufferPointer { buffer in
            let shared = UncheckedSendable(value: buffer)
            return ChunkedParallel.map(count: x.rows, chunkSize: chunkSize, workers: workerCount) { _, rows in
                var s = [Double](repeating: 0, count: d)
                for i in rows {
                    for j in 0..<d { s[j] += shared.value[i * d + j] }
                }
                return s
            }
        }
        var mean = [Double](repeating: 0, count: d)
        for s in sums {
            for j in 0..<d { mean[j] += s[j] }
        }
        return mean.map { $0 / Double(x.rows) }
    }
}
