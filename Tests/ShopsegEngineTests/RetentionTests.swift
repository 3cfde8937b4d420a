import XCTest
@testable import ShopsegEngine

/// `Tests/Fixtures/engine/retention_cdnow.json`, written by
/// `Tests/FixtureGenerators/make_retention_fixtures.py` (scipy reference).
private struct RetentionFixture: Decodable {
    struct BG: Decodable {
        var r, alpha, a, b, logLikelihood: Double
        var newCustomerT: [Double]?
        var newCustomerExpectedPurchases: [Double]?
    }
    struct GG: Decodable { var p, q, gamma, logLikelihood: Double; var customerCount: Int }
    struct Customer: Decodable {
        var frequency: Double
        var recency, age, meanValue, pAlive: Double
        var expectedPurchases39, expectedPurchases52, clv12Months: Double
        var expectedAverageValue: Double?
    }
    var frequency: [Int]
    var recencyDays: [Int]
    var ageDays: [Int]
    var meanValue: [Double]
    var bgnbd: BG
    var bgnbdFirst300: BG
    var gammaGamma: GG
    var customers: [Customer]
    var syntheticCustomers: [Customer]

    var recencyWeeks: [Double] { recencyDays.map { Double($0) / 7 } }
    var ageWeeks: [Double] { ageDays.map { Double($0) / 7 } }
}

final class RetentionTests: XCTestCase {
    private func fixture() throws -> RetentionFixture {
        try EngineFixtures.load("retention_cdnow", as: RetentionFixture.self)
    }

    private func assertRelative(_ a: Double, _ b: Double, _ rel: Double, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertLessThanOrEqual(abs(a - b), rel * abs(b), "\(what): \(a) vs \(b)", file: file, line: line)
    }

    private func assertThrows(_ expected: EngineError, file: StaticString = #filePath, line: UInt = #line,
                              _ body: () throws -> Void) {
        XCTAssertThrowsError(try body(), file: file, line: line) { error in
            XCTAssertEqual(error as? EngineError, expected, file: file, line: line)
        }
    }

    // MARK: CDNOW oracles

    func testBGNBDOnCDNOWMatchesPublishedAndScipy() throws {
        let f = try fixture()
        XCTAssertEqual(f.frequency.count, 2357)
        let fit = try BGNBD().fit(frequency: f.frequency, recency: f.recencyWeeks, age: f.ageWeeks)
        // Fader, Hardie & Lee (2005): r = 0.243, α = 4.414, a = 0.793, b = 2.426.
        assertRelative(fit.r, 0.243, 0.005, "r")
        assertRelative(fit.alpha, 4.414, 0.005, "alpha")
        assertRelative(fit.a, 0.793, 0.005, "a")
        assertRelative(fit.b, 2.426, 0.005, "b")
        // Our scipy reimplementation (Nelder–Mead + BFGS polish).
        assertRelative(fit.r, f.bgnbd.r, 1e-5, "r vs scipy")
        assertRelative(fit.alpha, f.bgnbd.alpha, 1e-5, "alpha vs scipy")
        assertRelative(fit.a, f.bgnbd.a, 1e-5, "a vs scipy")
        assertRelative(fit.b, f.bgnbd.b, 1e-5, "b vs scipy")
        assertRelative(fit.logLikelihood, f.bgnbd.logLikelihood, 1e-10, "log-likelihood")
        XCTAssertEqual(fit.customerCount, 2357)
        // Deterministic.
        XCTAssertEqual(try BGNBD().fit(frequency: f.frequency, recency: f.recencyWeeks, age: f.ageWeeks), fit)
    }

    func testGammaGammaOnCDNOWMatchesPublishedAndScipy() throws {
        let f = try fixture()
        let fit = try GammaGamma().fit(frequency: f.frequency, meanValue: f.meanValue)
        // Fader & Hardie (2013): p = 6.25, q = 3.74, γ = 15.44 on 946 customers.
        XCTAssertEqual(fit.customerCount, 946)
        XCTAssertEqual(f.gammaGamma.customerCount, 946)
        assertRelative(fit.p, 6.25, 0.005, "p")
        assertRelative(fit.q, 3.74, 0.005, "q")
        assertRelative(fit.gamma, 15.44, 0.005, "gamma")
        assertRelative(fit.p, f.gammaGamma.p, 1e-5, "p vs scipy")
        assertRelative(fit.q, f.gammaGamma.q, 1e-5, "q vs scipy")
        assertRelative(fit.gamma, f.gammaGamma.gamma, 1e-5, "gamma vs scipy")
        assertRelative(fit.logLikelihood, f.gammaGamma.logLikelihood, 1e-10, "log-likelihood")
        XCTAssertEqual(fit.warnings, [])
    }

    /// P(alive), E[Y(t)], E[M] and CLV at the scipy parameters, against scipy
    /// (`hyp2f1`), for CDNOW customers and synthetic edge cases (x = 0, t_x = T, x = 60).
    func testPerCustomerPredictionsMatchScipy() throws {
        let f = try fixture()
        let bg = BGNBDResult(r: f.bgnbd.r, alpha: f.bgnbd.alpha, a: f.bgnbd.a, b: f.bgnbd.b)
        let gg = GammaGammaResult(p: f.gammaGamma.p, q: f.gammaGamma.q, gamma: f.gammaGamma.gamma)
        let clv = CustomerLifetimeValue()
        for (t, expected) in zip(f.bgnbd.newCustomerT ?? [], f.bgnbd.newCustomerExpectedPurchases ?? []) {
            assertRelative(try bg.expectedPurchasesOfNewCustomer(t: t), expected, 1e-6, "E[X(\(t))]")
        }
        XCTAssertEqual(f.bgnbd.newCustomerT?.count, 3)
        let all = f.customers + f.syntheticCustomers
        XCTAssertGreaterThanOrEqual(all.count, 10)
        for c in all {
            let x = Int(c.frequency)
            let tag = "x=\(x) t_x=\(c.recency) T=\(c.age)"
            assertRelative(bg.pAlive(frequency: x, recency: c.recency, age: c.age), c.pAlive, 1e-6, "P(alive) \(tag)")
            assertRelative(try bg.expectedPurchases(t: 39, frequency: x, recency: c.recency, age: c.age),
                           c.expectedPurchases39, 1e-6, "E[Y(39)] \(tag)")
            assertRelative(try bg.expectedPurchases(t: 52, frequency: x, recency: c.recency, age: c.age),
                           c.expectedPurchases52, 1e-6, "E[Y(52)] \(tag)")
            if let ev = c.expectedAverageValue {
                assertRelative(try gg.expectedAverageValue(frequency: x, meanValue: c.meanValue), ev, 1e-6, "E[M] \(tag)")
            }
            assertRelative(try clv.value(purchases: bg, spend: gg, frequency: x, recency: c.recency, age: c.age,
                                         meanValue: c.meanValue), c.clv12Months, 1e-6, "CLV \(tag)")
        }
    }

    /// The `lifetimes` package (0.11.3) on the same data: its fitted parameters (its
    /// Nelder–Mead stops earlier, so 1e-4) and its predictions at its own parameters
    /// (1e-6), from `check_retention_with_lifetimes.py`.
    func testAgreesWithLifetimesPackage() throws {
        struct Lifetimes: Decodable {
            struct BG: Decodable { var r, alpha, a, b: Double }
            struct GG: Decodable { var p, q, gamma: Double }
            var bgnbd: BG
            var gammaGamma: GG
            var frequency: [Int]
            var recency, age, meanValue, pAlive, expectedPurchases39, expectedAverageValue, clv12Months: [Double]
        }
        let l = try EngineFixtures.load("retention_lifetimes", as: Lifetimes.self)
        let f = try fixture()
        let fit = try BGNBD().fit(frequency: f.frequency, recency: f.recencyWeeks, age: f.ageWeeks)
        assertRelative(fit.r, l.bgnbd.r, 1e-4, "r")
        assertRelative(fit.alpha, l.bgnbd.alpha, 1e-4, "alpha")
        assertRelative(fit.a, l.bgnbd.a, 1e-4, "a")
        assertRelative(fit.b, l.bgnbd.b, 1e-4, "b")
        let spend = try GammaGamma().fit(frequency: f.frequency, meanValue: f.meanValue)
        assertRelative(spend.p, l.gammaGamma.p, 1e-4, "p")
        assertRelative(spend.q, l.gammaGamma.q, 1e-4, "q")
        assertRelative(spend.gamma, l.gammaGamma.gamma, 1e-4, "gamma")

        let bg = BGNBDResult(r: l.bgnbd.r, alpha: l.bgnbd.alpha, a: l.bgnbd.a, b: l.bgnbd.b)
        let gg = GammaGammaResult(p: l.gammaGamma.p, q: l.gammaGamma.q, gamma: l.gammaGamma.gamma)
        for i in l.frequency.indices {
            let (x, tx, T, m) = (l.frequency[i], l.recency[i], l.age[i], l.meanValue[i])
            assertRelative(bg.pAlive(frequency: x, recency: tx, age: T), l.pAlive[i], 1e-6, "P(alive) \(i)")
            assertRelative(try bg.expectedPurchases(t: 39, frequency: x, recency: tx, age: T),
                           l.expectedPurchases39[i], 1e-6, "E[Y(39)] \(i)")
            assertRelative(try gg.expectedAverageValue(frequency: x, meanValue: m), l.expectedAverageValue[i], 1e-6,
                           "E[M] \(i)")
            assertRelative(try CustomerLifetimeValue().value(purchases: bg, spend: gg, frequency: x, recency: tx,
                                                             age: T, meanValue: m),
                           l.clv12Months[i], 1e-6, "CLV \(i)")
        }
    }

    // MARK: hand-worked values

    func testPAliveByHand() {
        let bg = BGNBDResult(r: 0.5, alpha: 3, a: 0.8, b: 2.4)
        // x = 0: the model lets customers die only after a purchase.
        XCTAssertEqual(bg.pAlive(frequency: 0, recency: 0, age: 20), 1)
        // t_x = T: 1 / (1 + a/(b+x−1)) = 1 / (1 + 0.8/2.4) = 0.75.
        XCTAssertEqual(bg.pAlive(frequency: 1, recency: 10, age: 10), 0.75, accuracy: 1e-15)
        // x = 2, t_x = 1, T = 5: 1 / (1 + 0.8/3.4 · (8/4)^2.5).
        XCTAssertEqual(bg.pAlive(frequency: 2, recency: 1, age: 5), 1 / (1 + 0.8 / 3.4 * pow(2, 2.5)), accuracy: 1e-15)
        // Extreme odds stay in [0, 1] without overflow.
        let tiny = bg.pAlive(frequency: 500, recency: 0, age: 1e6)
        XCTAssertTrue(tiny >= 0 && tiny < 1e-300)
    }

    func testHypergeometricSeries() throws {
        // ₂F₁(1, 1; 2; z) = −ln(1−z)/z.
        XCTAssertEqual(try RetentionMath.logHypergeometric2F1(1, 1, 2, 0.5), log(2 * log(2)), accuracy: 1e-14)
        // ₂F₁(a, b; b; z) = (1−z)^(−a).
        XCTAssertEqual(try RetentionMath.logHypergeometric2F1(3.5, 2, 2, 0.9), -3.5 * log(0.1), accuracy: 1e-12)
        XCTAssertEqual(try RetentionMath.logHypergeometric2F1(1, 2, 3, 0), 0)
        // Large parameters (terms peak far above 1; values from mpmath).
        XCTAssertEqual(try RetentionMath.logHypergeometric2F1(200, 150, 300, 0.6), 84.73578706856861, accuracy: 1e-11)
        XCTAssertEqual(try RetentionMath.logHypergeometric2F1(2000.5, 1502.3, 3000.1, 0.6), 848.7812824928926,
                       accuracy: 1e-9)
        // z close to 1 converges slowly but converges.
        XCTAssertEqual(try RetentionMath.logHypergeometric2F1(0.3, 2.5, 3.1, 0.999), 0.8478903166663647, accuracy: 1e-10)
        // Too few terms: a clear error.
        XCTAssertThrowsError(try RetentionMath.logHypergeometric2F1(0.3, 2.5, 3.1, 0.999, maxTerms: 100)) {
            XCTAssertEqual($0 as? EngineError, .hypergeometricNotConverged(terms: 100))
        }
    }

    func testExpectedPurchasesProperties() throws {
        let bg = BGNBDResult(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        XCTAssertEqual(try bg.expectedPurchases(t: 0, frequency: 3, recency: 10, age: 20), 0)
        var previous = 0.0
        for t in stride(from: 1.0, through: 200, by: 13) {  // increasing in t
            let v = try bg.expectedPurchases(t: t, frequency: 3, recency: 10, age: 20)
            XCTAssertGreaterThan(v, previous)
            previous = v
        }
        // Small t: E[Y(t)] ≈ P(alive) · E[λ | x, T]·t = P(alive) · (r+x)/(α+T) · t.
        let t = 1e-6
        let small = try bg.expectedPurchases(t: t, frequency: 3, recency: 10, age: 20)
        let slope = bg.pAlive(frequency: 3, recency: 10, age: 20) * (0.243 + 3) / (4.414 + 20)
        XCTAssertEqual(small / t, slope, accuracy: 1e-6 * slope)
        // a = 1 is a removable singularity: continuous across it.
        var atOne = bg; atOne.a = 1
        var near = bg; near.a = 1.0001
        let v1 = try atOne.expectedPurchases(t: 30, frequency: 2, recency: 5, age: 25)
        let v2 = try near.expectedPurchases(t: 30, frequency: 2, recency: 5, age: 25)
        XCTAssertTrue(v1.isFinite)
        XCTAssertEqual(v1, v2, accuracy: 1e-3 * v2)
    }

    func testGammaGammaAndCLVByHand() throws {
        let gg = GammaGammaResult(p: 2, q: 3, gamma: 10)
        // (γ + x m) p / (p x + q − 1) = (10 + 40)·2 / (4 + 2).
        XCTAssertEqual(try gg.expectedAverageValue(frequency: 2, meanValue: 20), 100.0 / 6, accuracy: 1e-12)
        // x = 0: population mean p γ / (q − 1) = 10, whatever m.
        XCTAssertEqual(try gg.expectedAverageValue(frequency: 0, meanValue: 99), 10, accuracy: 1e-12)
        XCTAssertFalse(GammaGammaResult(p: 2, q: 0.9, gamma: 10).warnings.isEmpty)

        let bg = BGNBDResult(r: 0.243, alpha: 4.414, a: 0.793, b: 2.426)
        // One month, no discount: E[M] · E[Y(u)].
        let one = CustomerLifetimeValue(horizonMonths: 1, monthlyDiscountRate: 0, timeUnitsPerMonth: 4.345)
        let y = try bg.expectedPurchases(t: 4.345, frequency: 2, recency: 20, age: 30)
        XCTAssertEqual(try one.value(purchases: bg, spend: gg, frequency: 2, recency: 20, age: 30, meanValue: 20),
                       100.0 / 6 * y, accuracy: 1e-12)
        // Two months with discount d: E[M] (Y1/(1+d) + (Y2 − Y1)/(1+d)²).
        let two = CustomerLifetimeValue(horizonMonths: 2, monthlyDiscountRate: 0.05, timeUnitsPerMonth: 4.345)
        let y2 = try bg.expectedPurchases(t: 8.69, frequency: 2, recency: 20, age: 30)
        XCTAssertEqual(try two.value(purchases: bg, spend: gg, frequency: 2, recency: 20, age: 30, meanValue: 20),
                       100.0 / 6 * (y / 1.05 + (y2 - y) / (1.05 * 1.05)), accuracy: 1e-12)
        assertThrows(.invalidParameter(name: "time", value: "0", rule: ">= 1")) {
            _ = try CustomerLifetimeValue(horizonMonths: 0).value(
                purchases: bg, spend: gg, frequency: 1, recency: 1, age: 2, meanValue: 3)
        }
    }

    func testChurnRiskBuckets() {
        XCTAssertEqual(ChurnRisk(pAlive: 0.1, frequency: 2), .high)
        XCTAssertEqual(ChurnRisk(pAlive: 0.3, frequency: 2), .medium)
        XCTAssertEqual(ChurnRisk(pAlive: 0.69, frequency: 1), .medium)
        XCTAssertEqual(ChurnRisk(pAlive: 0.7, frequency: 1), .low)
        XCTAssertEqual(ChurnRisk(pAlive: 1, frequency: 5), .low)
        XCTAssertEqual(ChurnRisk(pAlive: 1, frequency: 0), .oneTime)
        XCTAssertEqual(ChurnRisk(pAlive: 0.5, frequency: 1, highBelow: 0.6, mediumBelow: 0.8), .high)
        XCTAssertEqual(ChurnRisk.oneTime.rawValue, "one_time")
    }

    // MARK: edge cases and errors

    func testBGNBDInputErrors() {
        assertThrows(.noCustomers(model: "BG/NBD")) { _ = try BGNBD().fit(frequency: [], recency: [], age: []) }
        assertThrows(.inconsistentCustomerArrays(model: "BG/NBD", names: ["frequency", "recency", "age"],
                                                 counts: [2, 1, 2])) {
            _ = try BGNBD().fit(frequency: [1, 0], recency: [1], age: [2, 3])
        }
        assertThrows(.noRepeatPurchases(model: "BG/NBD", customers: 3)) {
            _ = try BGNBD().fit(frequency: [0, 0, 0], recency: [0, 0, 0], age: [5, 6, 7])
        }
        assertThrows(.invalidCustomerValue(name: "age", index: 1, rule: "finite and >= recency")) {
            _ = try BGNBD().fit(frequency: [1, 2], recency: [1, 8], age: [2, 7])
        }
        assertThrows(.invalidCustomerValue(name: "recency", index: 0, rule: "finite and >= 0")) {
            _ = try BGNBD().fit(frequency: [1], recency: [.nan], age: [2])
        }
        assertThrows(.invalidCustomerValue(name: "frequency", index: 0, rule: ">= 0")) {
            _ = try BGNBD().fit(frequency: [-1], recency: [0], age: [2])
        }
        assertThrows(.invalidParameter(name: "max_iter", value: "0", rule: ">= 1")) {
            _ = try BGNBD(maxIterations: 0).fit(frequency: [1], recency: [1], age: [2])
        }
        let bg = BGNBDResult(r: 1, alpha: 1, a: 1, b: 1)
        assertThrows(.invalidParameter(name: "t", value: "-1.0", rule: "finite and >= 0")) {
            _ = try bg.expectedPurchases(t: -1, frequency: 1, recency: 1, age: 2)
        }
        XCTAssertEqual(EngineError.invalidCustomerValue(name: "age", index: 1, rule: "finite and >= recency").description,
                       "age[1] should be finite and >= recency")
    }

    func testGammaGammaInputErrors() {
        assertThrows(.noCustomers(model: "Gamma-Gamma")) { _ = try GammaGamma().fit(frequency: [], meanValue: []) }
        assertThrows(.noRepeatPurchases(model: "Gamma-Gamma", customers: 2)) {
            _ = try GammaGamma().fit(frequency: [0, 0], meanValue: [0, 0])
        }
        assertThrows(.invalidCustomerValue(name: "mean_value", index: 1, rule: "finite and > 0 when frequency >= 1")) {
            _ = try GammaGamma().fit(frequency: [0, 2], meanValue: [0, 0])
        }
        assertThrows(.inconsistentCustomerArrays(model: "Gamma-Gamma", names: ["frequency", "mean_value"],
                                                 counts: [1, 2])) {
            _ = try GammaGamma().fit(frequency: [1], meanValue: [1, 2])
        }
    }

    /// First 300 CDNOW customers: matches scipy, and the fit is a local maximum of a
    /// naive (product-form, no log-sum-exp) log-likelihood written here.
    func testBGNBDSubsampleIsAMaximum() throws {
        let f = try fixture()
        let x = Array(f.frequency.prefix(300)), tx = Array(f.recencyWeeks.prefix(300)), T = Array(f.ageWeeks.prefix(300))
        let fit = try BGNBD().fit(frequency: x, recency: tx, age: T)
        let ref = f.bgnbdFirst300
        assertRelative(fit.r, ref.r, 1e-5, "r")
        assertRelative(fit.alpha, ref.alpha, 1e-5, "alpha")
        assertRelative(fit.a, ref.a, 1e-5, "a")
        assertRelative(fit.b, ref.b, 1e-5, "b")
        func logLikelihood(_ p: [Double]) -> Double {
            var total = 0.0
            for i in x.indices {
                let xi = Double(x[i]), (r, alpha, a, b) = (p[0], p[1], p[2], p[3])
                let rate = exp(lnGamma(r + xi) - lnGamma(r) + r * log(alpha))
                let beta = exp(lnGamma(a + b) + lnGamma(b + xi) - lnGamma(b) - lnGamma(a + b + xi))
                let end = pow(alpha + T[i], -(r + xi))
                let last = x[i] > 0 ? a / (b + xi - 1) * pow(alpha + tx[i], -(r + xi)) : 0
                total += log(rate * beta * (end + last))
            }
            return total
        }
        let best = [fit.r, fit.alpha, fit.a, fit.b]
        XCTAssertEqual(logLikelihood(best), fit.logLikelihood, accuracy: 1e-9 * abs(fit.logLikelihood))
        for j in 0..<4 {
            for s in [0.99, 1.01] {
                var p = best
                p[j] *= s
                XCTAssertLessThan(logLikelihood(p), fit.logLikelihood, "parameter \(j) × \(s)")
            }
        }
    }

    /// On this tiny sample the likelihood keeps increasing as a, b → ∞ with a/(a+b)
    /// fixed (every customer has the same dropout probability; scipy stops at
    /// a ≈ 1e6, b ≈ 4.6e6): there is no interior maximum, and the fit says so.
    func testBGNBDBoundaryMaximumIsReportedAsNonConvergence() {
        let x = [0, 1, 3, 0, 2, 5, 1, 0, 4, 2]
        let tx = [0, 2.0, 10, 0, 8, 19, 19, 0, 15, 3]
        let T = [20, 20.0, 20, 15, 18, 19, 19, 12, 20, 20]
        assertThrows(.notConverged(model: "BG/NBD", iterations: 5_000)) {
            _ = try BGNBD().fit(frequency: x, recency: tx, age: T)
        }
    }

    func testOptimiserReportsNonConvergence() throws {
        let f = try fixture()
        assertThrows(.notConverged(model: "BG/NBD", iterations: 5)) {
            _ = try BGNBD(maxIterations: 5).fit(frequency: f.frequency, recency: f.recencyWeeks, age: f.ageWeeks)
        }
        assertThrows(.notConverged(model: "Gamma-Gamma", iterations: 3)) {
            _ = try GammaGamma(maxIterations: 3).fit(frequency: f.frequency, meanValue: f.meanValue)
        }
        XCTAssertEqual(EngineError.notConverged(model: "BG/NBD", iterations: 5).description,
                       "BG/NBD: maximum-likelihood fit did not converge in 5 iterations; "
                       + "increase max_iter or check the input summary")
    }

    func testNelderMeadOnRosenbrock() throws {
        let rosenbrock: ([Double]) -> Double = { v in
            100 * pow(v[1] - v[0] * v[0], 2) + pow(1 - v[0], 2)
        }
        let result = try NelderMead(xTolerance: 1e-10, fTolerance: 1e-16).minimize(model: "test", start: [-1.2, 1], rosenbrock)
        XCTAssertEqual(result.x[0], 1, accuracy: 1e-6)
        XCTAssertEqual(result.x[1], 1, accuracy: 1e-6)
        XCTAssertGreaterThanOrEqual(result.runs, 2)
        // Non-finite regions are avoided; a non-finite start is an error.
        let walled: ([Double]) -> Double = { v in v[0] < 0 ? .nan : (v[0] - 2) * (v[0] - 2) }
        XCTAssertEqual(try NelderMead().minimize(model: "test", start: [0.1], walled).x[0], 2, accuracy: 1e-6)
        XCTAssertThrowsError(try NelderMead().minimize(model: "m", start: [-1], walled)) {
            XCTAssertEqual($0 as? EngineError, .nonFiniteLikelihood(model: "m"))
        }
    }
}
