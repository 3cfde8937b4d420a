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
    /// negatives clamped to 0 before the square root, self-distances set to 0; each
    /// row's per-cluster distance sums are one more dgemm, of the distance block by the
    /// n × L cluster-indicator matrix (so they are summed in BLAS's order, not left to
    /// right: values agree with a left-to-right sum to rounding, ~1e-15 relative).
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
        try scores(x, labelings: [labels], sampleLimit: sampleLimit, seed: seed, workers: workers)[0].get()
    }

    /// Mean silhouettes of several labellings of the same rows, as `score` would give each,
    /// sharing the distance computation (the O(m²·d) part) between them: above `sampleLimit`
    /// every labelling is scored on the same seeded sample of rows, as `score` with the same
    /// seed would draw. Used to compare the k values of a sweep.
    ///
    /// - Parameters: as `score`; `labelings`: each of n labels.
    /// - Returns: per labelling, its score, or `.failure(.invalidLabelCount)` when the rows
    ///   scored do not hold 2 … m − 1 distinct labels.
    /// - Throws: as `score` for errors that concern the input (sample limit, empty, no
    ///   features, `.labelCount`, non-finite values).
    ///
    /// Complexity: O(m²·(d + ΣL)) time for ΣL clusters over all labellings.
    public static func scores(_ x: Matrix, labelings: [[Int]], sampleLimit: Int = 30_000,
                              seed: UInt64 = 0) throws -> [Result<SilhouetteScore, EngineError>] {
        try scores(x, labelings: labelings, sampleLimit: sampleLimit, seed: seed,
                   workers: ChunkedParallel.defaultWorkerCount)
    }

    static func scores(_ x: Matrix, labelings: [[Int]], sampleLimit: Int, seed: UInt64,
                       workers: Int) throws -> [Result<SilhouetteScore, EngineError>] {
        guard sampleLimit >= 2 else {
            throw EngineError.invalidParameter(name: "sample_limit", value: "\(sampleLimit)", rule: ">= 2")
        }
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard x.columns > 0 else { throw EngineError.noFeatures(samples: x.rows) }
        for labels in labelings where labels.count != x.rows {
            throw EngineError.labelCount(labels: labels.count, samples: x.rows)
        }
        if let bad = x.firstNonFinite() {
            throw EngineError.nonFiniteInput(name: "X", count: bad.count, row: bad.row, column: bad.column)
        }
        var points = x
        var sampleLabelings = labelings
        let isSampled = x.rows > sampleLimit
        if isSampled {
            let rows = sampledRows(n: x.rows, count: sampleLimit, seed: seed)
            points = x.selectingRows(rows)
            sampleLabelings = labelings.map { labels in rows.map { labels[$0] } }
        }
        return samples(points, labelings: sampleLabelings, workers: workers).map { result in
            result.map { s in SilhouetteScore(value: s.reduce(0, +) / Double(s.count), sampleSize: s.count, isSampled: isSampled) }
        }
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
        try samples(x, labelings: [labels], workers: workers)[0].get()
    }

    /// One labelling's clusters, encoded 0..<L in ascending label order (LabelEncoder), and
    /// where its L columns sit in the indicator matrix.
    private struct Encoding {
        let codes: [Int]
        let frequency: [Double]
        let offset: Int
        var count: Int { frequency.count }
    }

    /// Per-row silhouette coefficients for each labelling of the rows of `x` (n × d). One
    /// distance block per group of rows serves every labelling: its per-cluster sums come from
    /// one dgemm with the n × ΣL indicator matrix of all labellings' clusters.
    static func samples(_ x: Matrix, labelings: [[Int]], workers: Int) -> [Result<[Double], EngineError>] {
        let n = x.rows
        var encodings: [Encoding?] = []
        var columns = 0
        for labels in labelings {
            let classes = Array(Set(labels)).sorted()
            guard classes.count >= 2 && classes.count <= n - 1 else { encodings.append(nil); continue }
            let code = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($0.element, $0.offset) })
            let codes = labels.map { code[$0]! }
            var frequency = [Double](repeating: 0, count: classes.count)
            for c in codes { frequency[c] += 1 }
            encodings.append(Encoding(codes: codes, frequency: frequency, offset: columns))
            columns += classes.count
        }
        var results = [[Double]](repeating: [], count: labelings.count)
        if columns > 0 {
            var indicator = [Double](repeating: 0, count: n * columns)
            for e in encodings.compactMap({ $0 }) {
                for j in 0..<n { indicator[j * columns + e.offset + e.codes[j]] = 1 }
            }
            let valid = encodings.enumerated().compactMap { i, e in e.map { (i, $0) } }
            // valid.count × n: row e holds the coefficients of the e-th valid labelling.
            var perRow = [Double](repeating: 0, count: valid.count * n)
            perRow.withUnsafeMutableBufferPointer {
                fillSamples(x, indicator: indicator, columns: columns, encodings: valid.map(\.1),
                            into: $0.baseAddress!, workers: workers)
            }
            for (slot, (i, _)) in valid.enumerated() { results[i] = Array(perRow[(slot * n)..<((slot + 1) * n)]) }
        }
        return labelings.indices.map { i in
            guard encodings[i] != nil else {
                return .failure(.invalidLabelCount(labels: Set(labelings[i]).count, samples: n))
            }
            return .success(results[i])
        }
    }

    /// Writes s(i) of every row for each encoding e into `out[e · n + i]`.
    private static func fillSamples(_ x: Matrix, indicator: [Double], columns: Int, encodings: [Encoding],
                                    into out: UnsafeMutablePointer<Double>, workers: Int) {
        let n = x.rows, d = x.columns
        // Rows in blocks of 128 and columns in panels of 1024: a 1 MB distance panel stays in
        // cache between the dgemm that fills it and the dgemm that adds it into the cluster sums.
        let blockRows = 128, panel = 1024
        let w = ChunkedParallel.workerCount(count: n, chunkSize: blockRows, workers: workers)
        // Per worker: one distance panel (blockRows × panel) and the block's cluster sums (blockRows × columns).
        var blocks = [Double](repeating: 0, count: w * blockRows * panel)
        var sums = [Double](repeating: 0, count: w * blockRows * columns)
        x.values.withUnsafeBufferPointer { xb in
            indicator.withUnsafeBufferPointer { hb in
                blocks.withUnsafeMutableBufferPointer { bb in
                    sums.withUnsafeMutableBufferPointer { sb in
                        DistanceKernels.squaredRowNorms(xb.baseAddress!, rows: n, columns: d).withUnsafeBufferPointer { nb in
                            let xp = xb.baseAddress!, h = hb.baseAddress!, norms = nb.baseAddress!
                            ChunkedParallel.forEach(count: n, chunkSize: blockRows, workers: w) { worker, _, r in
                                let m = r.count
                                let b = bb.baseAddress! + worker * blockRows * panel
                                let s = sb.baseAddress! + worker * blockRows * columns
                                for start in stride(from: 0, to: n, by: panel) {
                                    let width = min(panel, n - start)
                                    DistanceKernels.gemmABt(m: m, n: width, d: d, alpha: -2, a: xp + r.lowerBound * d,
                                                            b: xp + start * d, beta: 0, out: b)
                                    for i in 0..<m {
                                        let line = b + i * width
                                        let ni = norms[r.lowerBound + i]
                                        let nj = norms + start
                                        // Negative squared distances (rounding) clamp to 0; branch-free so
                                        // the loop vectorises.
                                        for j in 0..<width {
                                            line[j] = Swift.max((line[j] + ni) + nj[j], 0).squareRoot()
                                        }
                                        let own = r.lowerBound + i - start
                                        if own >= 0 && own < width { line[own] = 0 }
                                    }
                                    DistanceKernels.gemmAB(m: m, n: columns, inner: width, a: b, b: h + start * columns,
                                                           beta: start == 0 ? 0 : 1, out: s)
                                }
                                for (e, encoding) in encodings.enumerated() {
                                    let target = out + e * n
                                    for i in 0..<m {
                                        let row = r.lowerBound + i
                                        let clusterSums = s + i * columns + encoding.offset
                                        let own = encoding.codes[row]
                                        let a = clusterSums[own] / (encoding.frequency[own] - 1)
                                        var nearest = Double.infinity
                                        for c in 0..<encoding.count where c != own {
                                            nearest = min(nearest, clusterSums[c] / encoding.frequency[c])
                                        }
                                        let value = (nearest - a) / max(a, nearest)
                                        target[row] = value.isNaN ? 0 : value
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
