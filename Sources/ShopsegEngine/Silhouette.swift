import Foundation

/// The silhouette coefficient of a clustering (Rousseeuw 1987, "Silhouettes: a
/// graphical aid to the interpretation and validation of cluster analysis").
///
/// For row i with cluster A: a(i) is the mean Euclidean distance to the other
/// members of A; b(i) the smallest, over clusters B ≠ A, of the mean distance to
/// the members of B; s(i) = (b − a) / max(a, b). Rows alone in their cluster get
/// s = 0, as does a row with a = b = 0 (scikit-learn turns these NaNs into 0).
/// The score is the mean of s(i).
public enum Silhouette {
    /// Mean silhouette coefficient, equal to
    /// `sklearn.metrics.silhouette_score(X, labels, metric="euclidean")`.
    ///
    /// Exact when n ≤ `sampleLimit`. Otherwise computed on `sampleLimit` rows drawn
    /// without replacement (partial Fisher–Yates shuffle driven by
    /// `Xoshiro256StarStar(seed: seed)`), like scikit-learn's `sample_size`
    /// (which uses NumPy's generator, so sampled values differ from sklearn's);
    /// then `isSampled` is true.
    ///
    /// Distances come in blocks of rows: ‖xᵢ‖² + ‖xⱼ‖² − 2·xᵢ·xⱼ with `cblas_dgemm`,
    /// negatives clamped to 0 before the square root, self-distances set to 0.
    /// Blocks run in parallel (`DispatchQueue.concurrentPerform`); the block
    /// layout depends only on n and the reduction is in row order, so the value is
    /// deterministic whatever the thread count.
    ///
    /// ```swift
    /// let x = Matrix(rows: [[0], [1], [10], [11]])
    /// let s = try Silhouette.score(x, labels: [0, 0, 1, 1])   // s.value ≈ 0.8997
    /// ```
    ///
    /// - Parameters:
    ///   - x: n × d, row-major, finite, d ≥ 1.
    ///   - labels: n cluster labels (any integers; only equality matters).
    ///   - sampleLimit: largest n computed exactly; ≥ 2. Default 30 000.
    ///   - seed: seed for the sample; unused when n ≤ `sampleLimit`. Default 0.
    /// - Returns: the score with the sample size used.
    /// - Throws: `EngineError.invalidParameter` when `sampleLimit < 2`;
    ///   `.emptyMatrix`; `.noFeatures`; `.labelCount` when `labels.count ≠ n`;
    ///   `.nonFiniteInput`; `.invalidLabelCount` unless 2 ≤ distinct labels ≤ m − 1
    ///   where m is the number of rows scored.
    ///
    /// Complexity: O(m²·d) time, O(m + workers · B·m) memory with blocks of
    /// B = clamp(2²⁰ / m, 1, 512) rows (≤ 8 MB per block).
    public static func score(_ x: Matrix, labels: [Int], sampleLimit: Int = 30_000,
                             seed: UInt64 = 0) throws -> SilhouetteScore {
        try score(x, labels: labels, sampleLimit: sampleLimit, seed: seed,
                  workers: ChunkedParallel.defaultWorkerCount)
    }

    static func score(_ x: Matrix, labels: [Int], sampleLimit: Int, seed: UInt64,
                      workers: Int) throws -> SilhouetteScore {
        guard sampleLimit >= 2 else {
            throw EngineError.invalidParameter(name: "sample_limit", value: "\(sampleLimit)", rule: ">= 2")
        }
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        guard labels.count == x.rows else { throw EngineError.labelCount(labels: labels.count, samples: x.rows) }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        var points = x
        var sampleLabels = labels
        let isSampled = x.rows > sampleLimit
        if isSampled {
            let rows = sampledRows(n: x.rows, count: sampleLimit, seed: seed)
            points = Matrix(rows: rows.count, columns: x.columns, values: rows.flatMap { x.row($0) })
            sampleLabels = rows.map { labels[$0] }
        }
        let s = try samples(points, labels: sampleLabels, workers: workers)
        let value = s.reduce(0, +) / Double(s.count)
        return SilhouetteScore(value: value, sampleSize: s.count, isSampled: isSampled)
    }

    /// `count` distinct row indices of `0..<n`, ascending, chosen by a partial
    /// Fisher–Yates shuffle with `Xoshiro256StarStar(seed:)`.
    static func sampledRows(n: Int, count: Int, seed: UInt64) -> [Int] {
        var rng = Xoshiro256StarStar(seed: seed)
        var indices = Array(0..<n)
        for i in 0..<count {
            let j = i + rng.uniformInt(below: n - i)
            indices.swapAt(i, j)
        }
        return indices[0..<count].sorted()
    }

    /// Per-row silhouette coefficients s(i) (scikit-learn `silhouette_samples`).
    static func samples(_ x: Matrix, labels: [Int], workers: Int) throws -> [Double] {
        let n = x.rows, d = x.columns
        // Encode labels as 0..<L in ascending label order (LabelEncoder).
        let classes = Array(Set(labels)).sorted()
        guard classes.count >= 2 && classes.count <= n - 1 else {
            throw EngineError.invalidLabelCount(labels: classes.count, samples: n)
        }
        let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
        let encoded = labels.map { code[$0]! }
        let l = classes.count
        var frequency = [Double](repeating: 0, count: l)
        for c in encoded { frequency[c] += 1 }

        let blockRows = max(1, min(512, (1 << 20) / n))
        var result = [Double](repeating: 0, count: n)
        x.values.withUnsafeBufferPointer { xb in
            result.withUnsafeMutableBufferPointer { rb in
                let xp = xb.baseAddress!, out = rb.baseAddress!
                let norms = DistanceKernels.squaredRowNorms(xp, rows: n, columns: d)
                _ = ChunkedParallel.map(count: n, chunkSize: blockRows, workers: workers) { _, r in
                    let m = r.count
                    // Fully overwritten by dgemm (beta = 0).
                    var block = [Double](unsafeUninitializedCapacity: m * n) { _, count in count = m * n }
                    var clusterSums = [Double](repeating: 0, count: l)
                    block.withUnsafeMutableBufferPointer { bb in
                        let b = bb.baseAddress!
                        DistanceKernels.gemmABt(m: m, n: n, d: d, alpha: -2, a: xp + r.lowerBound * d,
                                                b: xp, beta: 0, out: b)
                        for i in 0..<m {
                            let row = r.lowerBound + i
                            for c in 0..<l { clusterSums[c] = 0 }
                            let line = b + i * n
                            let ni = norms[row]
                            for j in 0..<n {
                                var v = (line[j] + ni) + norms[j]
                                if v < 0 || j == row { v = 0 }
                                clusterSums[encoded[j]] += v.squareRoot()
                            }
                            let own = encoded[row]
                            let a = clusterSums[own] / (frequency[own] - 1)
                            var nearest = Double.infinity
                            for c in 0..<l where c != own {
                                nearest = min(nearest, clusterSums[c] / frequency[c])
                            }
                            let s = (nearest - a) / max(a, nearest)
                            out[row] = s.isNaN ? 0 : s
                        }
                    }
                    return 0
                }
            }
        }
        return result
    }
}
