import Foundation

/// A fitted BG/NBD model (see `BGNBD`): the four parameters and the per-customer
/// predictions. All times are in the time unit of the fitted data.
public struct BGNBDResult: Sendable, Equatable {
    /// Shape of the Gamma distribution of purchase rates λ.
    public var r: Double
    /// Rate of the Gamma distribution of purchase rates λ (time units; the mean rate is r/α per unit).
    public var alpha: Double
    /// First shape of the Beta distribution of the dropout probability p.
    public var a: Double
    /// Second shape of the Beta distribution of the dropout probability p.
    public var b: Double
    /// Log-likelihood at the fitted parameters (sum over customers, natural log);
    /// NaN for a result built from given parameters.
    public var logLikelihood: Double
    /// Customers used in the fit.
    public var customerCount: Int
    /// Optimiser iterations over all restarts.
    public var iterationCount: Int

    /// Creates a result from known parameters (e.g. published ones), to predict with them.
    public init(r: Double, alpha: Double, a: Double, b: Double,
                logLikelihood: Double = .nan, customerCount: Int = 0, iterationCount: Int = 0) {
        self.r = r; self.alpha = alpha; self.a = a; self.b = b
        self.logLikelihood = logLikelihood
        self.customerCount = customerCount
        self.iterationCount = iterationCount
    }

    /// ln(a/(b+x−1)) + (r+x) ln((α+T)/(α+t_x)): the log-odds of having died after
    /// the last purchase rather than still being alive (−∞ when x = 0).
    private func logDeadOdds(_ x: Double, _ tx: Double, _ T: Double) -> Double {
        guard x > 0 else { return -.infinity }
        return log(a) - log(b + x - 1) + (r + x) * (log(alpha + T) - log(alpha + tx))
    }

    /// P(alive | x, t_x, T) = 1 / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^(r+x))
    /// (Fader, Hardie & Lee 2005, eq. 11; 1 when x = 0, as the model lets a
    /// customer die only right after a purchase). Precondition: valid inputs
    /// (x ≥ 0, 0 ≤ t_x ≤ T); not checked here for speed — use `checkedPAlive`.
    public func pAlive(frequency x: Int, recency tx: Double, age T: Double) -> Double {
        let l = logDeadOdds(Double(x), tx, T)
        // 1/(1+e^l), computed without overflow for large l.
        return l > 0 ? exp(-l) / (1 + exp(-l)) : 1 / (1 + exp(l))
    }

    /// `pAlive` with the input checks of `fit` (throws `invalidCustomerValue`).
    public func checkedPAlive(frequency x: Int, recency tx: Double, age T: Double) throws -> Double {
        try RetentionInput.checkCustomer(frequency: x, recency: tx, age: T, index: 0)
        return pAlive(frequency: x, recency: tx, age: T)
    }

    /// E[Y(t) | x, t_x, T]: expected purchases in the next `t` time units of a
    /// customer with summary (x, t_x, T) (Fader, Hardie & Lee 2005, eq. 10):
    ///
    ///   (a+b+x−1)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x) ₂F₁(r+x, b+x; a+b+x−1; t/(α+T+t))]
    ///   / (1 + [x>0] a/(b+x−1) ((α+T)/(α+t_x))^(r+x)).
    ///
    /// `t` ≥ 0 in the model's time unit; 0 gives 0. The bracket is computed as
    /// −expm1(ln …) to keep precision for small t; near a = 1 (a removable 0/0)
    /// the value is the mean of a = 1 ± 1e-5. Throws `invalidCustomerValue` for
    /// invalid inputs, `invalidParameter` for t < 0 and
    /// `hypergeometricNotConverged` when the ₂F₁ series does not converge.
    public func expectedPurchases(t: Double, frequency x: Int, recency tx: Double, age T: Double) throws -> Double {
        try RetentionInput.checkCustomer(frequency: x, recency: tx, age: T, index: 0)
        guard t.isFinite, t >= 0 else {
            throw EngineError.invalidParameter(name: "t", value: "\(t)", rule: "finite and >= 0")
        }
        if t == 0 { return 0 }
        if abs(a - 1) < 1e-7 {
            let below = try expectedPurchases(t: t, x: Double(x), tx: tx, T: T, a: 1 - 1e-5)
            let above = try expectedPurchases(t: t, x: Double(x), tx: tx, T: T, a: 1 + 1e-5)
            return (below + above) / 2
        }
        return try expectedPurchases(t: t, x: Double(x), tx: tx, T: T, a: a)
    }

    /// E[X(t)]: expected purchases in the first `t` time units of a new customer
    /// (Fader, Hardie & Lee 2005, eq. 9):
    /// (a+b−1)/(a−1) · [1 − (α/(α+t))^r ₂F₁(r, b; a+b−1; t/(α+t))], which is
    /// `expectedPurchases` with x = 0, t_x = T = 0. Same throws.
    public func expectedPurchasesOfNewCustomer(t: Double) throws -> Double {
        try expectedPurchases(t: t, frequency: 0, recency: 0, age: 0)
    }

    private func expectedPurchases(t: Double, x: Double, tx: Double, T: Double, a: Double) throws -> Double {
        let rx = r + x
        let z = t / (alpha + T + t)
        let c = a + b + x - 1
        let logPower = rx * (log(alpha + T) - log(alpha + T + t))
        let bracket: Double
        if c > 0 {
            bracket = -expm1(logPower + (try RetentionMath.logHypergeometric2F1(rx, b + x, c, z)))
        } else {
            // a + b < 1 and x = 0: ₂F₁ with −1 < c < 0 (it may be negative; so is the prefactor).
            bracket = 1 - exp(logPower) * (try RetentionMath.hypergeometric2F1(rx, b + x, c, z))
        }
        let numerator = (a + b + x - 1) / (a - 1) * bracket
        let l = x > 0 ? log(a) - log(b + x - 1) + rx * (log(alpha + T) - log(alpha + tx)) : -Double.infinity
        return numerator / (1 + exp(l))
    }
}
