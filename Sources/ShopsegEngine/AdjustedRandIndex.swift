/// The adjusted Rand index (Hubert & Arabie 1985, "Comparing partitions"),
/// equal to `sklearn.metrics.adjusted_rand_score(a, b)`: the Rand index of two
/// labelings corrected for chance, 1 for identical partitions (up to renaming),
/// about 0 for independent ones, possibly negative. Symmetric.
///
/// Labels are any integers; −1 (noise) is an ordinary label, as in
/// scikit-learn. Computed from the pair confusion matrix (tn, fp, fn, tp) as
/// 2·(tp·tn − fn·fp) / ((tp + fn)·(fn + tn) + (tp + fp)·(fp + tn)), 1.0 when
/// fn = fp = 0 (including n = 0). Pair counts are exact 64-bit integers (n up to
/// 3·10⁹) and the products exact 128-bit, as Python's integers are in
/// scikit-learn, so large n do not overflow.
///
/// ```swift
/// try AdjustedRandIndex.score([0, 0, 1, 1], [5, 5, 2, 2])   // 1.0
/// ```
///
/// - Throws: `EngineError.inconsistentLabelLengths` when the counts differ.
///
/// Complexity: O(n) expected time, O(n) memory (hash of label pairs).
public enum AdjustedRandIndex {
    public static func score(_ a: [Int], _ b: [Int]) throws -> Double {
        guard a.count == b.count else { throw EngineError.inconsistentLabelLengths(first: a.count, second: b.count) }
        let n = Int64(a.count)
        var pairs: [PairKey: Int64] = [:]
        var rowsA: [Int: Int64] = [:], rowsB: [Int: Int64] = [:]
        for i in a.indices {
            pairs[PairKey(a: a[i], b: b[i]), default: 0] += 1
            rowsA[a[i], default: 0] += 1
            rowsB[b[i], default: 0] += 1
        }
        let sumSquares = pairs.values.reduce(Int64(0)) { $0 + $1 * $1 }
        let sumA = rowsA.values.reduce(Int64(0)) { $0 + $1 * $1 }
        let sumB = rowsB.values.reduce(Int64(0)) { $0 + $1 * $1 }
        // scikit-learn pair_confusion_matrix: C11 = tp, C01 = fp, C10 = fn, C00 = tn.
        let tp = sumSquares - n
        let fp = sumB - sumSquares
        let fn = sumA - sumSquares
        let tn = n * n - fp - fn - sumSquares
        if fn == 0 && fp == 0 { return 1 }
        let numerator = Wide.difference(Wide.product(tp, tn), Wide.product(fn, fp))
        let denominator = Wide.product(tp + fn, fn + tn).adding(Wide.product(tp + fp, fp + tn))
        return 2.0 * numerator / denominator.double
    }

    private struct PairKey: Hashable {
        let a: Int, b: Int
    }

    /// A non-negative 128-bit integer (high, low words), enough for products of
    /// two pair counts.
    struct Wide: Equatable {
        var high: UInt64, low: UInt64

        static func product(_ x: Int64, _ y: Int64) -> Wide {
            precondition(x >= 0 && y >= 0, "pair counts are non-negative")
            let p = UInt64(x).multipliedFullWidth(by: UInt64(y))
            return Wide(high: p.high, low: p.low)
        }

        func adding(_ o: Wide) -> Wide {
            let (l, carry) = low.addingReportingOverflow(o.low)
            return Wide(high: high &+ o.high &+ (carry ? 1 : 0), low: l)
        }

        static func < (x: Wide, y: Wide) -> Bool { (x.high, x.low) < (y.high, y.low) }

        /// x − y for x ≥ y.
        func subtracting(_ o: Wide) -> Wide {
            let (l, borrow) = low.subtractingReportingOverflow(o.low)
            return Wide(high: high &- o.high &- (borrow ? 1 : 0), low: l)
        }

        var double: Double { Double(high) * 0x1p64 + Double(low) }

        /// x − y as a Double (correct sign, rounded once per word).
        static func difference(_ x: Wide, _ y: Wide) -> Double {
            y < x ? x.subtracting(y).double : -y.subtracting(x).double
        }
    }
}
