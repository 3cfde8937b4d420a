import Foundation

/// The per-column transform chosen by `FeaturePreparation` (see `TransformPolicy`).
public enum ColumnTransform: String, Sendable, Codable, CaseIterable {
    /// Left unchanged (policy `none`, or `auto` with skewness ≤ threshold).
    case none
    /// `log1p(x) = ln(1 + x)`; chosen when the column's minimum is ≥ 0.
    case log1p
    /// `sign(x) · log1p(|x|)`; chosen when the column has negative values.
    case signedLog1p

    /// Applies the transform to one value.
    public func apply(_ x: Double) -> Double {
        switch self {
        case .none: return x
        case .log1p: return Foundation.log1p(x)
        case .signedLog1p:
            let r = Foundation.log1p(Swift.abs(x))
            return x < 0 ? -r : r
        }
    }
}
