/// Everything `FeaturePreparation` fitted for one kept column, as plain numbers, so
/// the preparation can be stored and re-applied to new rows.
///
/// A raw value v (NaN = missing) becomes
/// `(transform(clip(v.isNaN ? imputedValue : v)) − centre) / scale`, where
/// `clip` limits to [`clipLow`, `clipHigh`] when they are set.
public struct PreparedColumn: Sendable, Equatable, Codable {
    /// The column's name.
    public let name: String
    /// Its index among the input columns.
    public let inputIndex: Int
    /// The value used for missing entries (input units): median or mean of the non-missing values.
    public let imputedValue: Double
    /// How many entries were missing at fit time (informational; not used by `apply`).
    public let imputedCount: Int
    /// Lower winsorising bound (input units), or nil without winsorising.
    public let clipLow: Double?
    /// Upper winsorising bound (input units), or nil without winsorising.
    public let clipHigh: Double?
    /// The transform applied after imputation and clipping.
    public let transform: ColumnTransform
    /// The value subtracted after the transform (transformed units): mean, median, minimum or 0.
    public let centre: Double
    /// The value divided by last (transformed units): std, IQR, range or 1; always > 0.
    public let scale: Double

    /// The value after imputation and clipping (input units).
    @inline(__always)
    func clipped(_ v: Double) -> Double {
        var x = v.isNaN ? imputedValue : v
        if let lo = clipLow, x < lo { x = lo }
        if let hi = clipHigh, x > hi { x = hi }
        return x
    }

    /// The prepared value of one raw value (see the type's discussion).
    @inline(__always)
    public func apply(_ v: Double) -> Double {
        (transform.apply(clipped(v)) - centre) / scale
    }
}
