import Foundation

extension Statistics {
    /// The q-quantile of values as `numpy.quantile(a, q)` with the default method
    /// "linear" (Hyndman & Fan 1996, definition 7): virtual index h = (n − 1)·q,
    /// then linear interpolation between the order statistics ⌊h⌋ and ⌊h⌋ + 1,
    /// computed as numpy's `_lerp` (from the upper neighbour when the weight is
    /// ≥ 0.5) so results agree bit for bit in the common cases.
    ///
    /// `values` is reordered in place (selection, not a full sort): O(n) expected.
    /// - Precondition: `values` is non-empty, without NaN; 0 ≤ q ≤ 1.
    static func quantile(selecting values: inout [Double], _ q: Double) -> Double {
        precondition(!values.isEmpty, "quantile of an empty array")
        let n = values.count
        let h = Double(n - 1) * q
        if h >= Double(n - 1) { return select(&values, n - 1) }
        if h < 0 { return select(&values, 0) }
        let lower = h.rounded(.down)
        let i = Int(lower)
        let gamma = h - lower
        let a = select(&values, i)
        let b = values[(i + 1)...].min()!   // after selection, everything right of i is ≥ a
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }

    /// The q-quantile of ascending-sorted values (see `quantile(selecting:_:)`).
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        var copy = sorted
        return quantile(selecting: &copy, q)
    }

    /// Median as `numpy.median` (mean of the two middle values for an even count),
    /// by selection: O(n) expected; `values` is reordered in place.
    /// - Precondition: `values` is non-empty, without NaN.
    static func median(selecting values: inout [Double]) -> Double {
        precondition(!values.isEmpty, "median of an empty array")
        let mid = values.count / 2
        let upper = select(&values, mid)
        guard values.count % 2 == 0 else { return upper }
        let lower = values[..<mid].max()!   // everything left of mid is ≤ upper
        return (lower + upper) / 2
    }

    /// Reorders `a` so that `a[k]` is the k-th smallest value, everything before it
    /// ≤ it and everything after ≥ it; returns `a[k]`. Hoare's FIND (1961) with a
    /// median-of-three pivot; Hoare partitioning splits runs of equal values evenly,
    /// so columns with many ties (zeros) stay linear. Deterministic.
    static func select(_ a: inout [Double], _ k: Int) -> Double {
        precondition(k >= 0 && k < a.count, "select index \(k) out of range for \(a.count) values")
        return a.withUnsafeMutableBufferPointer { a in
            var lo = 0, hi = a.count - 1
            while lo < hi {
                let mid = lo + (hi - lo) / 2
                // Median of three as pivot.
                if a[mid] < a[lo] { a.swapAt(mid, lo) }
                if a[hi] < a[lo] { a.swapAt(hi, lo) }
                if a[hi] < a[mid] { a.swapAt(hi, mid) }
                let pivot = a[mid]
                var i = lo, j = hi
                while i <= j {
                    while a[i] < pivot { i += 1 }
                    while a[j] > pivot { j -= 1 }
                    if i <= j {
                        a.swapAt(i, j)
                        i += 1
                        j -= 1
                    }
                }
                // Now a[lo...j] ≤ pivot ≤ a[i...hi], and j < i.
                if k <= j { hi = j } else if k >= i { lo = i } else { break }
            }
            return a[k]
        }
    }
}
