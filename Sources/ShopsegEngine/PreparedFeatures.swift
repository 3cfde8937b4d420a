/// The outcome of `FeaturePreparation.fit`: the model-ready matrix and everything
/// needed to explain or reproduce it.
///
/// All per-column arrays have one entry per kept column (d′ of them), in input order.
/// For kept column `j` and input value `v` (NaN when missing), the prepared value is
/// `(transforms[j].apply(v.isNaN ? imputedValues[j] : v) − means[j]) / scales[j]`.
public struct PreparedFeatures: Sendable, Equatable {
    /// n × d′, row-major, standard-scaled; every value finite.
    public let matrix: Matrix
    /// The d′ kept column names.
    public let columnNames: [String]
    /// For each kept column, its index in the input matrix (ascending).
    public let keptColumnIndices: [Int]
    /// For each kept column, the median of its non-missing input values, used for missing values (input units).
    public let imputedValues: [Double]
    /// For each kept column, how many values were missing and imputed.
    public let imputedCounts: [Int]
    /// For each kept column, the transform applied after imputation.
    public let transforms: [ColumnTransform]
    /// For each kept column, the mean subtracted by the scaler (transformed units).
    public let means: [Double]
    /// For each kept column, the population standard deviation (ddof = 0) divided by (transformed units); always > 0.
    public let scales: [Double]
    /// Dropped columns and other notes, in column order, e.g.
    /// `column 'views' dropped: zero variance (all values 0)`.
    public let warnings: [String]
}
