/// How `FeaturePreparation` fills missing (NaN) values, per column.
public enum Imputation: String, Sendable, Codable, CaseIterable {
    /// The median of the column's non-missing values, as `numpy.median` (mean of the
    /// two middle values for an even count); scikit-learn
    /// `SimpleImputer(strategy="median")`. The default: robust to heavy tails.
    case median
    /// The arithmetic mean of the column's non-missing values; scikit-learn
    /// `SimpleImputer(strategy="mean")`.
    case mean
}

/// Which columns `FeaturePreparation` log-transforms (after imputation and winsorising).
public enum TransformPolicy: String, Sendable, Codable, CaseIterable {
    /// The default. A column whose skewness is strictly above `skewThreshold` gets
    /// `log1p` when its minimum is ≥ 0, `signedLog1p` otherwise; other columns are
    /// left unchanged.
    case auto
    /// Every column, whatever its skewness: `log1p` when its minimum is ≥ 0,
    /// `signedLog1p(x) = sign(x)·log1p(|x|)` otherwise (`log1p` is undefined below −1,
    /// and the signed form keeps the order of values and maps 0 to 0).
    case log1p
    /// No column is transformed.
    case none
}

/// The per-column scaling applied last by `FeaturePreparation`: `(x − centre) / scale`.
public enum Scaler: String, Sendable, Codable, CaseIterable {
    /// The default: scikit-learn `StandardScaler`; centre = mean, scale = population
    /// standard deviation (ddof = 0).
    case standard
    /// scikit-learn `RobustScaler` (defaults): centre = median, scale = interquartile
    /// range q₇₅ − q₂₅ (`numpy.quantile`, method "linear"). An IQR below 10·ε
    /// (ε = 2.22e-16, as scikit-learn's `_handle_zeros_in_scale`) is replaced by 1,
    /// with a warning: the column is then only centred.
    case robust
    /// scikit-learn `MinMaxScaler(feature_range=(0, 1))`: centre = minimum, scale =
    /// max − min (a range below 10·ε is replaced by 1, with a warning, as scikit-learn).
    case minMax = "minmax"
    /// No scaling: centre 0, scale 1, values left exactly as they are.
    case none
}

/// Clipping of each column to two of its own quantiles ("winsorising"), after imputation.
///
/// The bounds are `numpy.quantile(column, [lower, upper])` (method "linear") of the
/// imputed column, so imputed values count; values below/above are set to the bound.
public struct Winsorization: Sendable, Equatable, Codable {
    /// Quantile of the lower bound, in [0, 1); e.g. 0.01.
    public var lower: Double
    /// Quantile of the upper bound, in (lower, 1]; e.g. 0.99.
    public var upper: Double

    public init(lower: Double, upper: Double) {
        self.lower = lower
        self.upper = upper
    }
}
