import Foundation

/// Column statistics used by feature preparation.
enum Statistics {
    /// Median as `numpy.median`: the middle value, or the mean of the two middle
    /// values for an even count. - Precondition: `values` is non-empty and has no NaN.
    static func median(_ values: [Double]) -> Double {
        precondition(!values.isEmpty, "median of an empty array")
        let s = values.sorted()
        let mid = s.count / 2
        return s.count % 2 == 1 ? s[mid] : (s[mid - 1] + s[mid]) / 2
    }

    /// Arithmetic mean (left-to-right sum divided by the count).
    static func mean(_ values: [Double]) -> Double {
        values.reduce(0, +) / Double(values.count)
    }

    /// Population variance (ddof = 0), two-pass: mean of squared deviations.
    static func populationVariance(_ values: [Double], mean m: Double) -> Double {
        values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count)
    }

    /// Sample skewness g₁ = m₃ / m₂^{3/2} with biased central moments (the
    /// Fisher–Pearson coefficient, `scipy.stats.skew(bias=True)`, the default).
    /// Returns NaN when m₂ = 0.
    static func skewness(_ values: [Double]) -> Double {
        let n = Double(values.count)
        let m = mean(values)
        var m2 = 0.0, m3 = 0.0
        for v in values {
            let t = v - m
            m2 += t * t
            m3 += t * t * t
        }
        m2 /= n
        m3 /= n
        guard m2 > 0 else { return .nan }
        return m3 / pow(m2, 1.5)
    }

    /// A short text for a value quoted in a warning: integers without a
    /// fractional part ("0", "42"), other values as Swift prints them.
    static func format(_ v: Double) -> String {
        if v.isFinite, v == v.rounded(), abs(v) < 1e15 { return String(Int64(v)) }
        return "\(v)"
    }
}
