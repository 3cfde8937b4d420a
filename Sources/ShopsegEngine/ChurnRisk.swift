/// A churn-risk bucket from a customer's BG/NBD P(alive) and repeat purchases x.
///
/// - `oneTime` when x = 0: the BG/NBD lets customers drop out only right after a
///   purchase, so P(alive) is 1 for every one-time buyer by construction and says
///   nothing about them (on CDNOW only 14 % of them bought again in the 39 weeks
///   after calibration, fewer than in the `high` bucket);
/// - otherwise `high` when P(alive) < `highBelow` (default 0.3), `medium` when
///   < `mediumBelow` (default 0.7), `low` otherwise.
///
/// The defaults are a proposal justified in docs/algorithms/retention.md (on
/// CDNOW: 30 %, 47 % and 75 % of the high, medium and low repeat customers bought
/// again in the holdout period).
public enum ChurnRisk: String, Sendable, CaseIterable {
    case low, medium, high
    case oneTime = "one_time"

    /// Bucket of `pAlive` (in [0, 1]) for a customer with `frequency` repeat
    /// purchases. Precondition: 0 ≤ `highBelow` ≤ `mediumBelow` ≤ 1.
    public init(pAlive: Double, frequency: Int, highBelow: Double = 0.3, mediumBelow: Double = 0.7) {
        precondition(0 <= highBelow && highBelow <= mediumBelow && mediumBelow <= 1,
                     "ChurnRisk thresholds should satisfy 0 <= highBelow <= mediumBelow <= 1")
        if frequency == 0 {
            self = .oneTime
        } else if pAlive < highBelow {
            self = .high
        } else if pAlive < mediumBelow {
            self = .medium
        } else {
            self = .low
        }
    }
}
