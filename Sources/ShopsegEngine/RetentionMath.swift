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
    /// after `maxTerms` terms (z very close to 1), and `.invalidParameter` outside the domain.
    static func logHypergeometric2F1(
        _ a: Double, _ b: Double, _ c: Double, _ z: Double,
        maxTerms: Int = hypergeometricMaxTerms
    ) throws -> Double {
        guard z >= 0, z < 1, a > 0, b > 0, c > 0 else {
            throw EngineError.invalidParameter(name: "2F1", value: "(\(a), \(b); \(c); \(z))", rule: "a, b, c > 0 and 0 <= z < 1")
        }
        if z == 0 { return 0 }
        return try logPositiveSeries(maxTerms: maxTerms) { n in (a + n) * (b + n) / ((c + n) * (n + 1)) * z }
    }

    /// ₂F₁(a, b; c; z) for a, b > 0, −1 < c, c ≠ 0 and 0 ≤ z < 1 — including −1 < c < 0, which the
    /// BG/NBD meets when a + b < 1 for a customer without repeat purchases (c = a + b − 1).
    /// There the first term ab·z/c is negative and every later term has its sign, so
    /// ₂F₁ = 1 − (ab·z/|c|) · Σₘ (a+1)ₘ(b+1)ₘ / ((c+1)ₘ (2)ₘ) zᵐ, the sum being positive
    /// (summed as `logPositiveSeries`). The result may be negative.
    static func hypergeometric2F1(_ a: Double, _ b: Double, _ c: Double, _ z: Double,
                                  maxTerms: Int = hypergeometricMaxTerms) throws -> Double {
        if c > 0 { return exp(try logHypergeometric2F1(a, b, c, z, maxTerms: maxTerms)) }
        guard z >= 0, z < 1, a > 0, b > 0, c > -1, c != 0 else {
            throw EngineError.invalidParameter(name: "2F1", value: "(\(a), \(b); \(c); \(z))", rule: "a, b > 0, -1 < c != 0 and 0 <= z < 1")
        }
        if z == 0 { return 1 }
        let logTail = log(a * b * z / -c)
            + (try logPositiveSeries(maxTerms: maxTerms) { n in (a + 1 + n) * (b + 1 + n) / ((c + 1 + n) * (n + 2)) * z })
        return 1 - exp(logTail)
    }

    /// ln Σₘ tₘ with t₀ = 1 and tₘ₊₁ = tₘ · ratio(m), every ratio > 0 (see `logHypergeometric2F1`
    /// for the scaling and the stopping rule).
    private static func logPositiveSeries(maxTerms: Int, ratio: (Double) -> Double) throws -> Double {
        var term = 1.0, sum = 1.0, logScale = 0.0
        let rescale = 1e200, logRescale = log(1e200)
        var n = 0.0
        for _ in 0..<maxTerms {
            let r = ratio(n)
            term *= r
            sum += term
            n += 1
            if sum > rescale {
                sum /= rescale
                term /= rescale
                logScale += logRescale
            }
            if r < 1 && term <= 1e-17 * sum && term * r / (1 - r) <= 1e-16 * sum {
                return log(sum) + logScale
            }
        }
        throw EngineError.hypergeometricNotConverged(terms: maxTerms)
    }
}

/// ln Γ(x) for x > 0 (short name for the likelihood formulas).
@inline(__always)
func lnGamma(_ x: Double) -> Double { RetentionMath.logGamma(x) }
