import Foundation

/// BG/NBD model of repeat purchasing (Fader, Hardie & Lee 2005, "Counting your
/// customers the easy way: an alternative to the Pareto/NBD model", Marketing
/// Science 24(2)), fitted by maximum likelihood.
///
/// Assumptions: while alive, a customer buys as a Poisson process with rate λ;
/// λ ~ Gamma(shape r, rate α) across customers. After every purchase the customer
/// drops out ("dies") with probability p; p ~ Beta(a, b) across customers. λ and p
/// are independent. Customers are observed from their first purchase until the
/// calibration end.
///
/// Inputs, one entry per customer (n customers, all in the same time unit, e.g.
/// weeks):
/// - `frequency` x: repeat purchases (purchase occasions after the first; lifetimes
///   counts distinct days), integer ≥ 0;
/// - `recency` t_x: time from the first to the last purchase (0 when x = 0), ≥ 0;
/// - `age` T: time from the first purchase to the calibration end, ≥ t_x.
///
/// The log-likelihood is the paper's closed form (eq. 6), written as
/// ln Γ(r+x) − ln Γ(r) + r ln α + ln B(a, b+x) − ln B(a, b)
///   + logaddexp(−(r+x) ln(α+T), [x>0] (ln a − ln(b+x−1) − (r+x) ln(α+t_x))).
/// The mean negative log-likelihood is minimised over (ln r, ln α, ln a, ln b) by
/// Nelder–Mead with restarts from r = α = a = b = 1 (as lifetimes' `BetaGeoFitter`,
/// without its optional L2 penalty). Terms depending only on x are computed once
/// per distinct x.
///
/// ```swift
/// let fit = try BGNBD().fit(frequency: x, recency: tx, age: T)
/// // CDNOW sample, weeks: fit.r ≈ 0.243, fit.alpha ≈ 4.414, fit.a ≈ 0.793, fit.b ≈ 2.426
/// let alive = fit.pAlive(frequency: 2, recency: 30.43, age: 38.86)
/// let next = try fit.expectedPurchases(t: 52, frequency: 2, recency: 30.43, age: 38.86)
/// ```
///
/// Throws: `noCustomers` (n = 0), `inconsistentCustomerArrays`,
/// `invalidCustomerValue` (x < 0, t_x < 0, T < t_x, non-finite),
/// `noRepeatPurchases` (every x = 0: no information on a, b, so no maximum),
/// `notConverged` (optimiser iteration limit), `nonFiniteLikelihood`.
///
/// Complexity: O(n + k·I) per fit for n customers, k distinct frequencies and
/// I ≈ 10³ objective evaluations; in practice O(n·I) with three logs per customer
/// and evaluation. Memory O(n).
public struct BGNBD: Sendable {
    /// Iteration limit of one optimiser run (default 5 000; ≥ 1).
    public var maxIterations: Int = 5_000
    /// Convergence tolerance on the log-parameters (default 1e-9, absolute).
    public var tolerance: Double = 1e-9

    public init(maxIterations: Int = 5_000, tolerance: Double = 1e-9) {
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Distinct (x, t_x, T) per chunk of the parallel likelihood (fixed, so results never depend
    /// on the threads).
    static let chunkSize = 4_096

    /// Fits r, α, a, b by maximum likelihood. See the type's discussion.
    public func fit(frequency: [Int], recency: [Double], age: [Double]) throws -> BGNBDResult {
        guard maxIterations >= 1 else {
            throw EngineError.invalidParameter(name: "max_iter", value: "\(maxIterations)", rule: ">= 1")
        }
        guard tolerance > 0, tolerance.isFinite else {
            throw EngineError.invalidParameter(name: "tol", value: "\(tolerance)", rule: "> 0")
        }
        try RetentionInput.checkSummary(model: "BG/NBD", frequency: frequency, recency: recency, age: age)
        let n = frequency.count
        let repeaters = frequency.reduce(0) { $0 + ($1 > 0 ? 1 : 0) }
        guard repeaters > 0 else { throw EngineError.noRepeatPurchases(model: "BG/NBD", customers: n) }

        // Distinct frequencies with their counts; per-customer logs precomputed.
        var counts: [Int: Int] = [:]
        for x in frequency { counts[x, default: 0] += 1 }
        let distinct = counts.keys.sorted()
        let distinctX = distinct.map(Double.init), distinctCount = distinct.map { Double(counts[$0]!) }
        let customers = BGNBDCustomers(frequency: frequency, recency: recency, age: age)
        var tripleTerms = [Double](repeating: 0, count: customers.tripleCount)
        var logAlphaAge = [Double](repeating: 0, count: customers.ages.count)
        var logAlphaRecency = [Double](repeating: 0, count: customers.recencies.count)
        var logBX = [Double](repeating: 0, count: customers.frequencies.count)
        let workers = ChunkedParallel.defaultWorkerCount

        func negativeLogLikelihood(_ logParameters: [Double]) -> Double {
            let r = exp(logParameters[0]), alpha = exp(logParameters[1])
            let a = exp(logParameters[2]), b = exp(logParameters[3])
            let logAlpha = log(alpha), logA = log(a)
            let lgR = lnGamma(r), lgB = lnGamma(b), lgAB = lnGamma(a + b)
            var total = 0.0
            for (xv, c) in zip(distinctX, distinctCount) {
                let termsOfX = lnGamma(r + xv) - lgR + r * logAlpha + lgAB + lnGamma(b + xv) - lgB - lnGamma(a + b + xv)
                total += c * termsOfX
            }
            // Each customer's term depends only on (x, t_x, T): the logs are taken once per distinct
            // T, t_x and x, the term once per distinct triple, and the terms are then added customer
            // by customer in input order — the same operations on the same values as one term per
            // customer, so the same sum to the bit, for a fraction of the logs.
            for (k, v) in customers.ages.enumerated() { logAlphaAge[k] = log(alpha + v) }
            for (k, v) in customers.recencies.enumerated() { logAlphaRecency[k] = log(alpha + v) }
            for (k, v) in customers.frequencies.enumerated() where v > 0 { logBX[k] = log(b + Double(v) - 1) }
            // The triples' terms on fixed chunks in parallel (each slot written once; same bits
            // whatever the thread count).
            tripleTerms.withUnsafeMutableBufferPointer { out in
                customers.triples.withUnsafeBufferPointer { triples in
                    let shared = UncheckedSendable(value: (out, triples))
                    ChunkedParallel.forEach(count: triples.count, chunkSize: Self.chunkSize, workers: workers) { _, _, rows in
                        let (out, triples) = shared.value
                        for t in rows {
                            let triple = triples[t]
                            let x = customers.frequencies[triple.frequency]
                            let rx = r + Double(x)
                            let toEnd = -rx * logAlphaAge[triple.age]
                            if x > 0 {
                                let atLast = logA - logBX[triple.frequency] - rx * logAlphaRecency[triple.recency]
                                out[t] = RetentionMath.logAddExp(toEnd, atLast)
                            } else {
                                out[t] = toEnd
                            }
                        }
                    }
                }
            }
            tripleTerms.withUnsafeBufferPointer { terms in
                for t in customers.tripleOfCustomer { total += terms[t] }
            }
            return -total / Double(n)
        }

        let optimiser = NelderMead(xTolerance: tolerance, maxIterations: maxIterations)
        let best = try optimiser.minimize(model: "BG/NBD", start: [0, 0, 0, 0], negativeLogLikelihood)
        let p = best.x.map { exp($0) }
        return BGNBDResult(r: p[0], alpha: p[1], a: p[2], b: p[3],
                           logLikelihood: -best.value * Double(n), customerCount: n,
                           iterationCount: best.iterations)
    }
}
