import Foundation

/// Internal clustering-quality indices with scikit-learn `sklearn.metrics`
/// semantics. Labels are any integers (−1 is an ordinary label here, as in
/// scikit-learn; `ClusterQuality` is where noise is excluded).
public enum ClusterMetrics {
    /// Davies–Bouldin index (Davies & Bouldin 1979, "A cluster separation
    /// measure"), equal to `sklearn.metrics.davies_bouldin_score(X, labels)`.
    /// Lower is better; 0 is the minimum.
    ///
    /// For each cluster i, sᵢ is the mean Euclidean distance of its rows to its
    /// centroid cᵢ; the index is the mean over i of maxⱼ≠ᵢ (sᵢ + sⱼ) / ‖cᵢ − cⱼ‖.
    /// As scikit-learn: the result is 0 when every sᵢ ≤ 1e-8 or every centroid
    /// distance ≤ 1e-8 (`np.allclose(…, 0)`), and pairs of clusters with the same
    /// centroid are skipped (distance treated as +∞).
    ///
    /// Distances are computed directly as √Σ(x − c)² (scikit-learn uses the
    /// ‖x‖² − 2x·c + ‖c‖² expansion, so the last digits can differ).
    ///
    /// - Parameters:
    ///   - x: n × d, row-major, finite, d ≥ 1.
    ///   - labels: n labels; 2 ≤ distinct labels ≤ n − 1.
    /// - Throws: `EngineError.emptyMatrix`, `.noFeatures`, `.labelCount`,
    ///   `.nonFiniteInput`, `.invalidLabelCount`.
    ///
    /// Complexity: O(n·d + L²·d) time, O(L·d) memory for L clusters.
    public static func daviesBouldin(_ x: Matrix, labels: [Int]) throws -> Double {
        try LabelledGroups.validate(x, labels: labels)
        let g = LabelledGroups(x, labels: labels)
        let l = g.classes.count
        try LabelledGroups.checkCount(labels: l, samples: x.rows)
        let d = x.columns
        var intra = [Double](repeating: 0, count: l)
        x.values.withUnsafeBufferPointer { xb in
            g.centroids.withUnsafeBufferPointer { cb in
                for i in 0..<x.rows {
                    let k = g.groups[i]
                    intra[k] += DistanceKernels.squaredDistance(xb.baseAddress! + i * d, cb.baseAddress! + k * d, d)
                        .squareRoot()
                }
            }
        }
        for k in 0..<l { intra[k] /= Double(g.counts[k]) }
        var between = [Double](repeating: 0, count: l * l)
        g.centroids.withUnsafeBufferPointer { cb in
            for a in 0..<l {
                for b in 0..<l where b != a {
                    between[a * l + b] = DistanceKernels.squaredDistance(cb.baseAddress! + a * d,
                                                                         cb.baseAddress! + b * d, d).squareRoot()
                }
            }
        }
        // np.allclose(v, 0): |v| <= 1e-8 everywhere (the diagonal is 0).
        if intra.allSatisfy({ $0 <= 1e-8 }) || between.allSatisfy({ $0 <= 1e-8 }) { return 0 }
        var total = 0.0
        for a in 0..<l {
            var worst = 0.0
            for b in 0..<l where b != a && between[a * l + b] != 0 {
                worst = max(worst, (intra[a] + intra[b]) / between[a * l + b])
            }
            total += worst
        }
        return total / Double(l)
    }

    /// Calinski–Harabasz index, the variance ratio criterion (Caliński &
    /// Harabasz 1974, "A dendrite method for cluster analysis"), equal to
    /// `sklearn.metrics.calinski_harabasz_score(X, labels)`. Higher is better.
    ///
    /// With overall mean m, cluster means mⱼ and sizes nⱼ:
    /// B = Σⱼ nⱼ‖mⱼ − m‖², W = Σᵢ ‖xᵢ − m_{label(i)}‖², index = B·(n − L) / (W·(L − 1)),
    /// and 1.0 when W = 0 (as scikit-learn).
    ///
    /// - Parameters/Throws: as `daviesBouldin`.
    ///
    /// Complexity: O(n·d) time, O(L·d) memory.
    public static func calinskiHarabasz(_ x: Matrix, labels: [Int]) throws -> Double {
        try LabelledGroups.validate(x, labels: labels)
        let g = LabelledGroups(x, labels: labels)
        let l = g.classes.count, n = x.rows, d = x.columns
        try LabelledGroups.checkCount(labels: l, samples: n)
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for c in 0..<d { mean[c] += x.values[i * d + c] } }
        for c in 0..<d { mean[c] /= Double(n) }
        var extra = 0.0, intra = 0.0
        for k in 0..<l {
            var s = 0.0
            for c in 0..<d { let t = g.centroids[k * d + c] - mean[c]; s += t * t }
            extra += Double(g.counts[k]) * s
        }
        for i in 0..<n {
            let k = g.groups[i]
            for c in 0..<d { let t = x.values[i * d + c] - g.centroids[k * d + c]; intra += t * t }
        }
        guard intra != 0 else { return 1 }
        return extra * Double(n - l) / (intra * Double(l - 1))
    }
}
