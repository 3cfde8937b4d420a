import Foundation

/// Turns a raw feature matrix (with missing values) into a scaled, finite matrix
/// for clustering: imputation, optional winsorising, column drop, per-column
/// transform, scaling. The defaults (median, no winsorising, `auto` transform,
/// standard scaler) are the original behaviour.
///
/// For each input column, in order:
/// 1. **Missing values.** Missing values are NaN. A column with every value
///    missing is dropped with the warning `column 'x' dropped: all values missing`.
///    Otherwise missing values are replaced by the median (default; as
///    `numpy.median`: mean of the two middle values for an even count) or the mean
///    of the column's non-missing values (`imputation`; scikit-learn
///    `SimpleImputer(strategy="median" | "mean")`).
/// 2. **Infinite values.** ±inf is not "missing": a column containing any throws
///    `EngineError.nonFinite(column:count:)`.
/// 3. **Winsorising** (`winsorize`, off by default). Values are clipped to the
///    column's `lower` and `upper` quantiles (`numpy.quantile`, method "linear"),
///    computed on the imputed column. The bounds are stored per column.
/// 4. **Zero variance.** A column whose values (after steps 1–3) are all equal is
///    dropped with the warning `column 'x' dropped: zero variance (all values 0)`
///    (`… zero variance after winsorizing (…)` when clipping made it constant);
///    nothing is ever divided by zero. This holds for every scaler.
/// 5. **Transform** (`transform`). `auto`: a column is heavy-tailed when its sample
///    skewness (Fisher–Pearson, biased, as `scipy.stats.skew` by default:
///    g₁ = m₃ / m₂^{3/2}) is strictly greater than `skewThreshold`; it gets `log1p`
///    when its minimum is ≥ 0, otherwise `signedLog1p(x) = sign(x)·log1p(|x|)`. Only
///    right (positive) skew triggers a transform. `log1p`: every column is
///    transformed that way whatever its skewness. `none`: no transform. If a
///    transform makes all values equal (only through rounding of huge values) the
///    column is dropped with a zero-variance warning.
/// 6. **Scaling** (`scaler`), `(x − centre) / scale`: `standard` (mean, population
///    standard deviation ddof = 0; scikit-learn `StandardScaler`), `robust` (median,
///    interquartile range; `RobustScaler`), `minMax` (minimum, max − min;
///    `MinMaxScaler`, to [0, 1]) or `none` (0, 1). A robust/min-max scale below 10·ε
///    becomes 1 with a warning, as scikit-learn's `_handle_zeros_in_scale`.
///
/// Then, if no column remains, `EngineError.noUsableColumns` is thrown; if any
/// prepared value is NaN or ±inf, `EngineError.nonFinite(column:count:)` is thrown
/// for the first such column. With `transform: .none, scaler: .none` (and no
/// winsorising) the output is the imputed input, exactly.
///
/// Differences from scikit-learn: constant columns are dropped (scikit-learn keeps
/// them, scaled by 1); min-max scaling is computed as `(x − min) / (max − min)`
/// rather than `x·scale_ + min_` (same value up to rounding, ~1 ulp).
///
/// ```swift
/// let x = Matrix(rows: [[1, .nan], [2, 5], [3, 5]])
/// let prepared = try FeaturePreparation().fit(x, columnNames: ["orders", "views"])
/// // prepared.columnNames == ["orders"]; prepared.warnings ==
/// // ["column 'views' dropped: zero variance (all values 5)"]
/// let again = try prepared.apply(x, columnNames: ["orders", "views"])   // == prepared.matrix
/// ```
///
/// Complexity: O(n·d) expected time (medians and quantiles by selection), columns in
/// parallel on all cores; O(n·d) memory.
public struct FeaturePreparation: Sendable {
    /// Skewness above which `auto` log-transforms a column. Default 1.0; any
    /// non-NaN value (`.infinity` disables transforms).
    public var skewThreshold: Double = 1.0
    /// Missing-value fill. Default `.median`.
    public var imputation: Imputation = .median
    /// Quantile clipping after imputation; default nil (off).
    public var winsorize: Winsorization? = nil
    /// Which columns are log-transformed. Default `.auto`.
    public var transform: TransformPolicy = .auto
    /// The final scaling. Default `.standard`.
    public var scaler: Scaler = .standard
    /// Worker threads (columns are fitted in parallel); internal, for tests.
    var workerCount: Int = ChunkedParallel.defaultWorkerCount

    /// - Parameters: see the properties; all default to the original behaviour.
    public init(skewThreshold: Double = 1.0, imputation: Imputation = .median,
                winsorize: Winsorization? = nil, transform: TransformPolicy = .auto,
                scaler: Scaler = .standard) {
        self.skewThreshold = skewThreshold
        self.imputation = imputation
        self.winsorize = winsorize
        self.transform = transform
        self.scaler = scaler
    }

    /// Prepares `x` (n × d, row-major, NaN = missing).
    ///
    /// - Parameters:
    ///   - x: n × d input; n ≥ 1.
    ///   - columnNames: d names, quoted in warnings and errors.
    /// - Returns: `PreparedFeatures` with an n × d′ matrix, d′ ≤ d, and the fitted
    ///   `PreparationModel` (re-appliable to new rows).
    /// - Throws: `EngineError.emptyMatrix` when n = 0;
    ///   `.invalidParameter` when `skewThreshold` is NaN or the winsorising quantiles
    ///   are not 0 ≤ lower < upper ≤ 1;
    ///   `.columnNameCount` when `columnNames.count ≠ d`;
    ///   `.nonFinite(column:count:)` for ±inf input or non-finite prepared values;
    ///   `.noUsableColumns` when every column is dropped (or d = 0).
    public func fit(_ x: Matrix, columnNames: [String]) throws -> PreparedFeatures {
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard !skewThreshold.isNaN else {
            throw EngineError.invalidParameter(name: "skew_threshold", value: "nan", rule: "a number")
        }
        if let w = winsorize, !(w.lower >= 0 && w.lower < w.upper && w.upper <= 1) {
            throw EngineError.invalidParameter(name: "winsorize", value: "(\(w.lower), \(w.upper))",
                                               rule: "0 <= lower < upper <= 1")
        }
        guard columnNames.count == x.columns else {
            throw EngineError.columnNameCount(names: columnNames.count, columns: x.columns)
        }
        // Columns are independent: fit them in parallel, then collect in column order
        // (same warnings, same first error as a sequential pass).
        // Columns are gathered 8 at a time (one pass over the rows reads each cache
        // line once for 8 columns instead of once per column).
        let groups = ChunkedParallel.map(count: x.columns, chunkSize: 8, workers: workerCount) { _, cols in
            let gathered = Self.gather(x, columns: cols)
            return zip(cols, gathered).map { c, raw in
                var notes: [String] = []
                let fitted = Result { try fitColumn(raw, index: c, name: columnNames[c], warnings: &notes) }
                return (fitted, notes)
            }
        }
        var kept: [PreparedColumn] = []
        var warnings: [String] = []
        for (fitted, notes) in groups.joined() {
            if let column = try fitted.get() { kept.append(column) }
            warnings += notes
        }
        guard !kept.isEmpty else { throw EngineError.noUsableColumns }
        let model = PreparationModel(inputColumnNames: columnNames, columns: kept)
        // The matrix is produced by the model itself, so re-applying the model to
        // the same input reproduces it bit for bit.
        let matrix = try model.apply(x, columnNames: columnNames)
        return PreparedFeatures(matrix: matrix, model: model, warnings: warnings)
    }

    /// Largest |prepared value| accepted: its square, summed over columns and rows, stays far
    /// from overflowing a double in distance computations.
    static let largestPreparedValue = 1e100

    /// The given columns of x, each as an array of n values, in one pass over the rows.
    private static func gather(_ x: Matrix, columns: Range<Int>) -> [[Double]] {
        let n = x.rows, d = x.columns, g = columns.count, c0 = columns.lowerBound
        var flat = [Double](repeating: 0, count: g * n)   // column-major n × g
        x.values.withUnsafeBufferPointer { v in
            flat.withUnsafeMutableBufferPointer { f in
                for i in 0..<n {
                    for j in 0..<g { f[j * n + i] = v[i * d + c0 + j] }
                }
            }
        }
        return (0..<g).map { Array(flat[($0 * n)..<(($0 + 1) * n)]) }
    }

    /// Fits one column; nil (with a warning) when it is dropped.
    private func fitColumn(_ raw: [Double], index: Int, name: String,
                           warnings: inout [String]) throws -> PreparedColumn? {
        let n = raw.count
        var present = raw.filter { !$0.isNaN }
        if present.isEmpty {
            warnings.append("column '\(name)' dropped: all values missing")
            return nil
        }
        let infinite = present.filter { $0.isInfinite }.count
        if infinite > 0 { throw EngineError.nonFinite(column: name, count: infinite) }
        let fill = imputation == .median ? Statistics.median(selecting: &present) : Statistics.mean(present)
        let missing = n - present.count
        var column = raw
        if missing > 0 {
            for i in 0..<n where column[i].isNaN { column[i] = fill }
        }

        var clipLow: Double?, clipHigh: Double?
        if let w = winsorize {
            var work = column
            let lo = Statistics.quantile(selecting: &work, w.lower)
            let hi = Statistics.quantile(selecting: &work, w.upper)
            clipLow = lo
            clipHigh = hi
            for i in 0..<n { column[i] = min(max(column[i], lo), hi) }
        }

        let lo = column.min()!, hi = column.max()!
        if lo == hi {
            let after = winsorize == nil ? "" : " after winsorizing"
            warnings.append("column '\(name)' dropped: zero variance\(after) (all values \(Statistics.format(lo)))")
            return nil
        }
        let chosen = chooseTransform(column, minimum: lo)
        if chosen != .none {
            column = column.map(chosen.apply)
            if column.min()! == column.max()! {
                warnings.append("column '\(name)' dropped: zero variance after \(chosen.rawValue)")
                return nil
            }
        }
        guard let (centre, scale) = scaling(column, name: name, warnings: &warnings) else { return nil }
        // Values near the limits of a double make the mean or variance overflow (a scale of
        // inf silently flattens the column) and their squares overflow every distance.
        let largest = column.reduce(0) { max($0, abs(($1 - centre) / scale)) }
        guard centre.isFinite, scale.isFinite, largest <= Self.largestPreparedValue else {
            throw EngineError.valueTooLarge(column: name)
        }
        return PreparedColumn(name: name, inputIndex: index, imputedValue: fill, imputedCount: missing,
                              clipLow: clipLow, clipHigh: clipHigh, transform: chosen,
                              centre: centre, scale: scale)
    }

    private func chooseTransform(_ column: [Double], minimum: Double) -> ColumnTransform {
        let logTransform: ColumnTransform = minimum >= 0 ? .log1p : .signedLog1p
        switch transform {
        case .none: return .none
        case .log1p: return logTransform
        case .auto: return Statistics.skewness(column) > skewThreshold ? logTransform : .none
        }
    }

    /// (centre, scale) for a non-constant column; nil (with a warning) when the
    /// standard deviation underflows to 0.
    private func scaling(_ column: [Double], name: String,
                         warnings: inout [String]) -> (Double, Double)? {
        // scikit-learn's _handle_zeros_in_scale: scales below 10·ε count as zero.
        let tiny = 10 * Double.ulpOfOne
        switch scaler {
        case .none:
            return (0, 1)
        case .standard:
            let mean = Statistics.mean(column)
            let std = Statistics.populationVariance(column, mean: mean).squareRoot()
            if std == 0 {
                warnings.append("column '\(name)' dropped: zero variance (standard deviation underflows to 0)")
                return nil
            }
            return (mean, std)
        case .robust:
            var work = column
            let median = Statistics.median(selecting: &work)
            let iqr = Statistics.quantile(selecting: &work, 0.75) - Statistics.quantile(selecting: &work, 0.25)
            if iqr < tiny {
                warnings.append("column '\(name)': interquartile range is 0; scaled by 1 (only centred)")
                return (median, 1)
            }
            return (median, iqr)
        case .minMax:
            let lo = column.min()!, range = column.max()! - lo
            if range < tiny {
                warnings.append("column '\(name)': range below 1e-15; scaled by 1 (only shifted)")
                return (lo, 1)
            }
            return (lo, range)
        }
    }
}
