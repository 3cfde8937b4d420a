import Foundation

/// Special functions for the retention models (BG/NBD, Gamma–Gamma): log-gamma,
/// log-sum-exp and the Gauss hypergeometric function ₂F₁ by its power series.
enum RetentionMath {
    /// ln Γ(x) for x > 0.
    @inline(__always)
    static func logGamma(_ x: Double) -> Double {
        // The (value, sign) overload is lgamma_r: thread-safe, unlike lgamma's global signgam.
        let (value, _): (Double, Int) = lgamma(x)
        return value
    }

    /// ln(eᵃ + eᵇ) without overflow; −∞ arguments are allowed.
    @inline(__always)
    static func logAddExp(_ a: Double, _ b: Double) -> Double {
        if a == -.infinity { return b }
        if b == -.infinity { return a }
        let m = max(a, b)
        return m + log1p(exp(-abs(a - b)))
    }

    /// Largest number of series terms summed before ₂F₁ reports non-convergence.
    static let hypergeometricMaxTerms = 1_000_000

    /// ln ₂F₁(a, b; c; z) for a, b, c > 0 and 0 ≤ z < 1, by the Gauss series
    /// Σₙ (a)ₙ(b)ₙ / ((c)ₙ n!) zⁿ (all terms positive here, so no cancellation).
    ///
    /// The sum is kept as mantissa × e^scale so that the large terms of big
    /// a, b (customers with many purchases) cannot overflow. Stops when a term is
    /// below 1e-17 of the sum *and* the term ratio has fallen below 1 (past the
    /// peak, so later terms shrink at least geometrically); the remaining tail is
    /// then bounded by term · ratio / (1 − ratio), which is also required to be
    /// below 1e-16 of the sum. Throws `EngineError.hypergeometricNotConverged`
    /// after `maxTerms` terms (z very close to 1).
    static func logHypergeometric2F1(
        _ a: Double, _ b: Double, _ c: Double, _ z: Double,
        maxTerms: Int = hypergeometricMaxTerms
    ) throws -> Double {
        precondition(z >= 0 && z < 1 && a > 0 && b > 0 && c > 0)
        if z == 0 { return 0 }
        var term = 1.0, sum = 1.0, logScale = 0.0
        let rescale = 1e200, logRescale = log(1e200)
        var n = 0.0
        for _ in 0..<maxTerms {
            let ratio = (a + n) * (b + n) / ((c + n) * (n + 1)) * z
            term *= ratio
            sum += term
            n += 1
            if sum > rescale {
                sum /= rescale
                term /= rescale
                logScale += logRescale
            }
            if ratio < 1 && term <= 1e-17 * sum && term * ratio / (1 - ratio) <= 1e-16 * sum {
                return log(sum) + logScale
            }
        }
        throw EngineError.hypergeometricNotConverged(terms: maxTerms)
    }
}

/// ln Γ(x) for x > 0 (short name for the likelihood formulas).
@inline(__always)
func lnGamma(_ x: Double) -> Double { RetentionMath.logGamma(x) }
