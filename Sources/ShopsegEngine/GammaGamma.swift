import Foundation

/// Gamma–Gamma model of monetary value (Fader & Hardie 2013, "The Gamma-Gamma
/// model of monetary value"; Fader, Hardie & Lee 2005, "RFM and CLV"), fitted by
/// maximum likelihood.
///
/// Assumptions: a customer's order values are Gamma(shape p, rate ν) around the
/// customer's mean p/ν; ν ~ Gamma(shape q, rate γ) across customers; order values
/// are independent of the purchase process (BG/NBD), which should be checked (the
/// correlation of frequency and mean value should be small).
///
/// Inputs, one entry per customer: `frequency` x (repeat purchases, as for BG/NBD)
/// and `meanValue` m_x, the mean value of the x repeat purchases (currency units;
/// lifetimes and the paper exclude the first purchase). Only customers with
/// x ≥ 1 enter the fit; they must have m_x > 0. Customers with x = 0 are skipped
/// (their m_x is ignored).
///
/// The likelihood of a customer is the density of m_x given x:
/// Γ(px+q)/(Γ(px)Γ(q)) · γ^q m_x^(px−1) x^(px) / (γ + x m_x)^(px+q). The mean negative
/// log-likelihood is minimised over (ln p, ln q, ln γ) by Nelder–Mead with
/// restarts from p = q = γ = 1 (as lifetimes' `GammaGammaFitter`, without its
/// optional L2 penalty).
///
/// Throws: `noCustomers`, `inconsistentCustomerArrays`, `invalidCustomerValue`
/// (x < 0, m_x not finite or ≤ 0 when x ≥ 1), `noRepeatPurchases` (no customer
/// with x ≥ 1), `notConverged`, `nonFiniteLikelihood`.
///
/// Complexity: O(n) to prepare plus O(n·I) for I ≈ 10³ objective evaluations.
public struct GammaGamma: Sendable {
    /// Iteration limit of one optimiser run (default 5 000; ≥ 1).
    public var maxIterations: Int = 5_000
    /// Convergence tolerance on the log-parameters (default 1e-9, absolute).
    public var tolerance: Double = 1e-9

    public init(maxIterations: Int = 5_000, tolerance: Double = 1e-9) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Customers per chunk of the parallel likelihood (fixed, so results never depend on the threads).
    static let chunkSize = 8_192

    /// Fits p, q, γ by maximum likelihood. See the type's discussion.
    public func fit(frequency: [Int], meanValue: [Double]) throws -> GammaGammaResult {
        guard maxIterations >= 1 else {
            throw EngineError.invalidParameter(name: "max_iter", value: "\(maxIterations)", rule: ">= 1")
        }
        guard tolerance > 0, tolerance.isFinite else {
            throw EngineError.invalidParameter(name: "tol", value: "\(tolerance)", rule: "> 0")
        }
        guard frequency.count == meanValue.count else {
            throw EngineError.inconsistentCustomerArrays(
                model: "Gamma-Gamma", names: ["frequency", "mean_value"], counts: [frequency.count, meanValue.count])
        }
        guard !frequency.isEmpty else { throw EngineError.noCustomers(model: "Gamma-Gamma") }
        var rawX: [Double] = [], rawLogX: [Double] = [], rawM: [Double] = [], rawLogM: [Double] = []
        for i in frequency.indices {
            if frequency[i] < 0 {
                throw EngineError.invalidCustomerValue(name: "frequency", index: i, rule: ">= 0")
            }
            guard frequency[i] > 0 else { continue }
            guard meanValue[i].isFinite, meanValue[i] > 0 else {
                throw EngineError.invalidCustomerValue(name: "mean_value", index: i,
                                                       rule: "finite and > 0 when frequency >= 1")
            }
            rawX.append(Double(frequency[i])); rawLogX.append(log(Double(frequency[i])))
            rawM.append(meanValue[i]); rawLogM.append(log(meanValue[i]))
        }
        let n = rawX.count
        guard n > 0 else { throw EngineError.noRepeatPurchases(model: "Gamma-Gamma", customers: frequency.count) }
        // Sorted by x (stable), so the Γ terms are computed once per distinct x.
        let order = rawX.indices.sorted { rawX[$0] < rawX[$1] || (rawX[$0] == rawX[$1] && $0 < $1) }
        let x = order.map { rawX[$0] }, logX = order.map { rawLogX[$0] }, m = order.map { rawM[$0] }, logM = order.map { rawLogM[$0] }

        // The per-customer terms are computed on fixed chunks in parallel into `terms`, then added
        // in customer order on one thread: the same sum to the bit as one loop, whatever the
        // thread count (a chunk recomputes the Γ terms of its first x, the same value).
        var terms = [Double](repeating: 0, count: n)
        let workers = ChunkedParallel.defaultWorkerCount

        func negativeLogLikelihood(_ logParameters: [Double]) -> Double {
            let p = exp(logParameters[0]), q = exp(logParameters[1]), gamma = exp(logParameters[2])
            let constant = q * log(gamma) - lnGamma(q)
            terms.withUnsafeMutableBufferPointer { terms in
                let out = UncheckedSendable(value: terms)
                ChunkedParallel.forEach(count: n, chunkSize: Self.chunkSize, workers: workers) { _, _, rows in
                    var lastX = -1.0, lgTerms = 0.0
                    for i in rows {
                        let px = p * x[i]
                        if x[i] != lastX {  // new distinct x
                            lgTerms = lnGamma(px + q) - lnGamma(px)
                            lastX = x[i]
                        }
                        out.value[i] = lgTerms + (px - 1) * logM[i] + px * logX[i] - (px + q) * log(gamma + m[i] * x[i])
                    }
                }
            }
            var total = 0.0
            for term in terms { total += term }
            return -(total / Double(n) + constant)
        }

        let optimiser = NelderMead(xTolerance: tolerance, maxIterations: maxIterations)
        let best = try optimiser.minimize(model: "Gamma-Gamma", start: [0, 0, 0], negativeLogLikelihood)
        let p = best.x.map { exp($0) }
        return GammaGammaResult(p: p[0], q: p[1], gamma: p[2], logLikelihood: -best.value * Double(n),
                                customerCount: n, iterationCount: best.iterations)
    }
}

/// A fitted Gamma–Gamma model (see `GammaGamma`). Values are in the currency
/// units of the fitted mean values.
public struct GammaGammaResult: Sendable, Equatable {
    /// Shape of the per-order Gamma distribution of values.
    public var p: Double
    /// Shape of the Gamma distribution of the per-customer rate ν.
    public var q: Double
    /// Rate of the Gamma distribution of ν (lifetimes calls it `v`).
    public var gamma: Double
    /// Log-likelihood at the fitted parameters (sum over the customers with x ≥ 1);
    /// NaN for a result built from given parameters.
    public var logLikelihood: Double
    /// Customers with x ≥ 1 used in the fit.
    public var customerCount: Int
    /// Optimiser iterations over all restarts.
    public var iterationCount: Int
    /// Notes on the fit, e.g. q ≤ 1 (population mean value infinite).
    public var warnings: [String]

    /// Creates a result from known parameters (e.g. published ones).
    public init(p: Double, q: Double, gamma: Double, logLikelihood: Double = .nan,
                customerCount: Int = 0, iterationCount: Int = 0) {
        self.p = p; self.q = q; self.gamma = gamma
        self.logLikelihood = logLikelihood
        self.customerCount = customerCount
        self.iterationCount = iterationCount
        warnings = q > 1 ? [] : ["q=\(q) <= 1: the population mean order value p*gamma/(q-1) is infinite; "
                                 + "expected values of customers with frequency 0 are infinite"]
    }

    /// E[M | p, q, γ, m_x, x] = (γ + x m_x) p / (px + q − 1): the conditional expected
    /// average order value, a weighted mean of the population mean pγ/(q−1) and the
    /// customer's m_x (weight px/(px+q−1) on m_x). With x = 0 it is the population
    /// mean (m_x ignored), as lifetimes. Throws `invalidCustomerValue` for x < 0 or
    /// m_x not finite or < 0.
    public func expectedAverageValue(frequency x: Int, meanValue mx: Double) throws -> Double {
        if x < 0 { throw EngineError.invalidCustomerValue(name: "frequency", index: 0, rule: ">= 0") }
        guard mx.isFinite, mx >= 0 else {
            throw EngineError.invalidCustomerValue(name: "mean_value", index: 0, rule: "finite and >= 0")
        }
        let xd = Double(x)
        let m = x > 0 ? mx : 0
        let denominator = p * xd + q - 1
        return denominator > 0 ? (gamma + m * xd) * p / denominator : .infinity
    }
}
