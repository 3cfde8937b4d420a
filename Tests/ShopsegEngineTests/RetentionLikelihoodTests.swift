import XCTest
@testable import ShopsegEngine

/// The fits' fast likelihoods (logs per distinct value, terms on parallel chunks) against the
/// plain one-term-per-customer likelihoods they replaced: the same optimiser path, so the same
/// fitted parameters to the bit, on more customers than one chunk holds.
final class RetentionLikelihoodTests: XCTestCase {
    /// Customers drawn from the BG/NBD story (rate λ, drop-out p after each purchase), ages and
    /// purchase times in whole days given in weeks (as `retention_summary`), seeded.
    private func customers(_ n: Int) -> (x: [Int], tx: [Double], T: [Double], m: [Double]) {
        var rng = SplitMix64(seed: 7)
        var x: [Int] = [], tx: [Double] = [], T: [Double] = [], m: [Double] = []
        for _ in 0..<n {
            let age = Double(Int.random(in: 7...700, using: &rng)) / 7
            let rate = Double.random(in: 0.02...0.6, using: &rng), dropOut = Double.random(in: 0.05...0.6, using: &rng)
            var t = 0.0, purchases = 0, last = 0.0
            while true {
                t += -log(Double.random(in: Double.ulpOfOne...1, using: &rng)) / rate
                if t > age { break }
                purchases += 1
                last = (t * 7).rounded(.down) / 7
                if Double.random(in: 0..<1, using: &rng) < dropOut { break }
            }
            x.append(purchases); tx.append(last); T.append(age)
            m.append(Double.random(in: 5...200, using: &rng))
        }
        return (x, tx, T, m)
    }

    func testBGNBDMatchesThePlainLikelihoodToTheBit() throws {
        let c = customers(9_000)
        let fit = try BGNBD().fit(frequency: c.x, recency: c.tx, age: c.T)
        XCTAssertGreaterThan(BGNBDCustomers(frequency: c.x, recency: c.tx, age: c.T).tripleCount, BGNBD.chunkSize)
        let n = c.x.count
        var counts: [Int: Int] = [:]
        for x in c.x { counts[x, default: 0] += 1 }
        let distinct = counts.keys.sorted()
        func plain(_ lp: [Double]) -> Double {
            let r = exp(lp[0]), alpha = exp(lp[1]), a = exp(lp[2]), b = exp(lp[3])
            let logAlpha = log(alpha), logA = log(a)
            let lgR = lnGamma(r), lgB = lnGamma(b), lgAB = lnGamma(a + b)
            var total = 0.0
            for xv in distinct.map(Double.init) {
                let termsOfX = lnGamma(r + xv) - lgR + r * logAlpha + lgAB + lnGamma(b + xv) - lgB - lnGamma(a + b + xv)
                total += Double(counts[Int(xv)]!) * termsOfX
            }
            for i in 0..<n {
                let xi = Double(c.x[i]), rx = r + xi
                let toEnd = -rx * log(alpha + c.T[i])
                total += c.x[i] > 0 ? RetentionMath.logAddExp(toEnd, logA - log(b + xi - 1) - rx * log(alpha + c.tx[i])) : toEnd
            }
            return -total / Double(n)
        }
        let reference = try NelderMead(xTolerance: 1e-9, maxIterations: 5_000).minimize(model: "BG/NBD", start: [0, 0, 0, 0], plain)
        XCTAssertEqual([fit.r, fit.alpha, fit.a, fit.b], reference.x.map { exp($0) })
        XCTAssertEqual(fit.logLikelihood, -reference.value * Double(n))
        XCTAssertEqual(fit.iterationCount, reference.iterations)
    }

    func testGammaGammaMatchesThePlainLikelihoodToTheBit() throws {
        let c = customers(40_000)
        let fit = try GammaGamma().fit(frequency: c.x, meanValue: c.m)
        let spenders = c.x.indices.filter { c.x[$0] > 0 }.sorted { c.x[$0] < c.x[$1] || (c.x[$0] == c.x[$1] && $0 < $1) }
        XCTAssertGreaterThan(spenders.count, GammaGamma.chunkSize)
        let x = spenders.map { Double(c.x[$0]) }, m = spenders.map { c.m[$0] }
        func plain(_ lp: [Double]) -> Double {
            let p = exp(lp[0]), q = exp(lp[1]), gamma = exp(lp[2])
            let constant = q * log(gamma) - lnGamma(q)
            var total = 0.0
            for i in x.indices {
                let px = p * x[i]
                total += lnGamma(px + q) - lnGamma(px) + (px - 1) * log(m[i]) + px * log(x[i]) - (px + q) * log(gamma + m[i] * x[i])
            }
            return -(total / Double(x.count) + constant)
        }
        let reference = try NelderMead(xTolerance: 1e-9, maxIterations: 5_000).minimize(model: "Gamma-Gamma", start: [0, 0, 0], plain)
        XCTAssertEqual([fit.p, fit.q, fit.gamma], reference.x.map { exp($0) })
        XCTAssertEqual(fit.logLikelihood, -reference.value * Double(x.count))
    }

    func testCustomersIndexTheirDistinctValues() {
        let x = [0, 2, 0, 2, 1], tx = [0, 1.5, 0, 1.5, 3], T = [4, 4, 4, 5, 4.0]
        let c = BGNBDCustomers(frequency: x, recency: tx, age: T)
        XCTAssertEqual(c.frequencies, [0, 2, 1])
        XCTAssertEqual(c.recencies, [0, 1.5, 3])
        XCTAssertEqual(c.ages, [4, 5])
        XCTAssertEqual(c.tripleOfCustomer, [0, 1, 0, 2, 3])
        for i in x.indices {
            let t = c.triples[c.tripleOfCustomer[i]]
            XCTAssertEqual(c.frequencies[t.frequency], x[i]); XCTAssertEqual(c.recencies[t.recency], tx[i]); XCTAssertEqual(c.ages[t.age], T[i])
        }
    }
}
