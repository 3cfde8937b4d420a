import Foundation

/// Customer lifetime value over a horizon in months, from a BG/NBD fit (purchases)
/// and a Gamma–Gamma fit (order value), computed the way lifetimes'
/// `GammaGammaFitter.customer_lifetime_value` does it:
///
///   CLV = Σ_{k=1…H} E[M] · (E[Y(k·u)] − E[Y((k−1)·u)]) / (1 + d)^k
///
/// where u = `timeUnitsPerMonth` (model time units per month), E[Y(t)] is
/// `BGNBDResult.expectedPurchases` and E[M] is
/// `GammaGammaResult.expectedAverageValue`: expected purchases of each month times
/// the expected order value, discounted at the end of the month.
///
/// Defaults: `horizonMonths` 12, `monthlyDiscountRate` 0.01 (1 % a month, about
/// 12.7 % a year), `timeUnitsPerMonth` 4.345 (weeks per month: the model was
/// fitted in weeks; lifetimes uses 4.345 for weeks, 30 for days, 1 for months).
/// The result is in the currency of the mean values; it is a revenue figure
/// (apply a margin for profit) and only counts future purchases.
public struct CustomerLifetimeValue: Sendable {
    /// Months summed (default 12; ≥ 1).
    public var horizonMonths: Int = 12
    /// Discount rate per month (default 0.01; ≥ 0).
    public var monthlyDiscountRate: Double = 0.01
    /// Model time units in one month (default 4.345, for a model fitted in weeks; > 0).
    public var timeUnitsPerMonth: Double = 4.345

    public init(horizonMonths: Int = 12, monthlyDiscountRate: Double = 0.01, timeUnitsPerMonth: Double = 4.345) {
        self.horizonMonths = horizonMonths
        self.monthlyDiscountRate = monthlyDiscountRate
        self.timeUnitsPerMonth = timeUnitsPerMonth
    }

    /// CLV of one customer with summary (x, t_x, T) in the BG/NBD time unit and mean
    /// repeat order value m_x (ignored when x = 0). Throws `invalidParameter` for
    /// invalid settings and the errors of `expectedPurchases` /
    /// `expectedAverageValue`. Complexity O(H) ₂F₁ evaluations.
    public func value(purchases: BGNBDResult, spend: GammaGammaResult,
                      frequency x: Int, recency tx: Double, age T: Double, meanValue mx: Double) throws -> Double {
        guard horizonMonths >= 1 else {
            throw EngineError.invalidParameter(name: "time", value: "\(horizonMonths)", rule: ">= 1")
        }
        guard monthlyDiscountRate.isFinite, monthlyDiscountRate >= 0 else {
            throw EngineError.invalidParameter(name: "discount_rate", value: "\(monthlyDiscountRate)", rule: ">= 0")
        }
        guard timeUnitsPerMonth.isFinite, timeUnitsPerMonth > 0 else {
            throw EngineError.invalidParameter(name: "time_units_per_month", value: "\(timeUnitsPerMonth)", rule: "> 0")
        }
        let orderValue = try spend.expectedAverageValue(frequency: x, meanValue: x > 0 ? mx : 0)
        var total = 0.0, previous = 0.0
        for k in 1...horizonMonths {
            let cumulative = try purchases.expectedPurchases(
                t: Double(k) * timeUnitsPerMonth, frequency: x, recency: tx, age: T)
            total += orderValue * (cumulative - previous) / pow(1 + monthlyDiscountRate, Double(k))
            previous = cumulative
        }
        return total
    }
}
