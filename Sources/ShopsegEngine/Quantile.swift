import Foundation

extension Statistics {
    /// The q-quantile of ascending-sorted values as `numpy.quantile(a, q)` with the
    /// default method "linear" (Hyndman & Fan 1996, definition 7): virtual index
    /// h = (n − 1)·q, then linear interpolation between the neighbours, computed as
    /// numpy's `_lerp` (from the upper neighbour when the weight is ≥ 0.5) so results
    /// agree bit for bit in the common cases.
    /// - Precondition: `sorted` is non-empty, ascending, without NaN; 0 ≤ q ≤ 1.
    static func quantile(sorted: [Double], _ q: Double) -> Double {
        precondition(!sorted.isEmpty, "quantile of an empty array")
        let n = sorted.count
        let h = Double(n - 1) * q
        if h >= Double(n - 1) { return sorted[n - 1] }
        if h < 0 { return sorted[0] }
        let lower = h.rounded(.down)
        let i = Int(lower)
        let gamma = h - lower
        let a = sorted[i], b = sorted[i + 1]
        let diff = b - a
        return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma
    }
}
