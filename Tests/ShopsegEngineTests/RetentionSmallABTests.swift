@testable import ShopsegEngine
import XCTest

/// BG/NBD predictions when a + b < 1 (a normal optimum on real data, e.g. CDNOW sample at an
/// early calibration end): ₂F₁ then has −1 < c < 0 for customers without repeat purchases.
/// Reference values: scipy.special.hyp2f1 and lifetimes' formula (Fader, Hardie & Lee 2005, eq. 10).
final class RetentionSmallABTests: XCTestCase {
    func testExpectedPurchasesMatchScipyWhenAPlusBIsBelowOne() throws {
        let cases: [(t: Double, x: Int, tx: Double, T: Double, r: Double, alpha: Double, a: Double, b: Double, expected: Double)] = [
            (30.0 / 7, 0, 0, 30, 0.2, 4.0, 0.082, 0.419, 0.02491721490388192),
            (90.0 / 7, 0, 0, 5, 0.2, 4.0, 0.082, 0.419, 0.26162394083025564),
            (90.0 / 7, 2, 10, 30, 0.2, 4.0, 0.082, 0.419, 0.5811205159422729),
            (12.9, 0, 0, 60, 1.3, 2.0, 0.3, 0.5, 0.24960669799268534),
        ]
        for c in cases {
            let model = BGNBDResult(r: c.r, alpha: c.alpha, a: c.a, b: c.b, logLikelihood: .nan, customerCount: 0, iterationCount: 0)
            let value = try model.expectedPurchases(t: c.t, frequency: c.x, recency: c.tx, age: c.T)
            XCTAssertEqual(value, c.expected, accuracy: 1e-9 * c.expected, "\(c)")
        }
    }

    func testTheSignedHypergeometricMatchesScipy() throws {
        // hyp2f1(0.2, 0.419, -0.499, z) for the first two cases above.
        XCTAssertEqual(try RetentionMath.hypergeometric2F1(0.2, 0.419, 0.082 + 0.419 - 1, (30.0 / 7) / (4 + 30 + 30.0 / 7)),
                       0.9770862834110338, accuracy: 1e-12)
        XCTAssertEqual(try RetentionMath.hypergeometric2F1(0.2, 0.419, 0.082 + 0.419 - 1, (90.0 / 7) / (4 + 5 + 90.0 / 7)),
                       0.619416739894493, accuracy: 1e-12)
        XCTAssertThrowsError(try RetentionMath.hypergeometric2F1(0.2, 0.4, 0, 0.5), "c = 0 is a pole")
    }
}
