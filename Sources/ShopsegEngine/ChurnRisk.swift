/// A churn-risk bucket from a customer's P(alive) (BG/NBD): `high` when
/// P(alive) < `highBelow` (default 0.3), `medium` when < `mediumBelow` (default
/// 0.7), `low` otherwise. See docs/algorithms/retention.md for why these cut-offs.
public enum ChurnRisk: String, Sendable, CaseIterable {
    case low, medium, high

    /// Bucket of `pAlive` (in [0, 1]); `highBelow` ≤ `mediumBelow`.
    public init(pAlive: Double, highBelow: Double = 0.3, mediumBelow: Double = 0.7) {
        precondition(highBelow <= mediumBelow, "highBelow should be <= mediumBelow")
        if pAlive < highBelow { self = .high } else if pAlive < mediumBelow { self = .medium } else { self = .low }
    }
}
