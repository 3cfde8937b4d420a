/// The outcome of `FeaturePreparation.fit`: the model-ready matrix, the fitted
/// per-column preparation (re-appliable to new rows) and the warnings.
///
/// All per-column arrays have one entry per kept column (d′ of them), in input order.
/// For kept column `j` and input value `v` (NaN when missing), the prepared value is
/// `(transforms[j].apply(clip_j(v.isNaN ? imputedValues[j] : v)) − centres[j]) / scales[j]`
/// with `clip_j` limiting to [`clipLows[j]`, `clipHighs[j]`] when winsorising.
public struct PreparedFeatures: Sendable, Equatable {
    /// n × d′, row-major, scaled; every value finite.
    public let matrix: Matrix
    /// The fitted preparation: re-apply it to new rows with `apply(_:columnNames:)`.
    public let model: PreparationModel
    /// Dropped columns and other notes, in column order, e.g.
    /// `column 'views' dropped: zero variance (all values 0)`.
    public let warnings: [String]

    /// Prepares new rows with the stored numbers; see `PreparationModel.apply`.
    public func apply(_ raw: Matrix, columnNames: [String]) throws -> Matrix {
        try model.apply(raw, columnNames: columnNames)
    }

    /// The d′ kept column names.
    public var columnNames: [String] { model.columns.map(\.name) }
    /// For each kept column, its index in the input matrix (ascending).
    public var keptColumnIndices: [Int] { model.columns.map(\.inputIndex) }
    /// For each kept column, the value used for missing entries (input units).
    public var imputedValues: [Double] { model.columns.map(\.imputedValue) }
    /// For each kept column, how many values were missing and imputed.
    public var imputedCounts: [Int] { model.columns.map(\.imputedCount) }
    /// For each kept column, the lower winsorising bound (nil without winsorising).
    public var clipLows: [Double?] { model.columns.map(\.clipLow) }
    /// For each kept column, the upper winsorising bound (nil without winsorising).
    public var clipHighs: [Double?] { model.columns.map(\.clipHigh) }
    /// For each kept column, the transform applied after imputation and clipping.
    public var transforms: [ColumnTransform] { model.columns.map(\.transform) }
    /// For each kept column, the value subtracted by the scaler (transformed units).
    public var centres: [Double] { model.columns.map(\.centre) }
    /// Alias of `centres` (the column means for the default standard scaler).
    public var means: [Double] { centres }
    /// For each kept column, the value divided by (transformed units); always > 0.
    public var scales: [Double] { model.columns.map(\.scale) }
}
