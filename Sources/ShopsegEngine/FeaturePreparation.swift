import Foundation

/// Turns a raw feature matrix (with missing values) into a standard-scaled,
/// finite matrix for clustering: imputation, column drop, per-column transform,
/// standard scaling.
///
/// For each input column, in order:
/// 1. **Missing values.** Missing values are NaN. A column with every value
///    missing is dropped with the warning `column 'x' dropped: all values missing`.
///    Otherwise missing values are replaced by the median of the column's
///    non-missing values (as `numpy.median`: mean of the two middle values for an
///    even count; scikit-learn `SimpleImputer(strategy="median")`).
/// 2. **Infinite values.** ±inf is not "missing": a column containing any throws
///    `EngineError.nonFinite(column:count:)`.
/// 3. **Zero variance.** A column whose values (after imputation) are all equal is
///    dropped with the warning `column 'x' dropped: zero variance (all values 0)`;
///    nothing is ever divided by zero.
/// 4. **Heavy tails.** A column is heavy-tailed when its sample skewness after
///    imputation (Fisher–Pearson, biased, as `scipy.stats.skew` by default:
///    g₁ = m₃ / m₂^{3/2}) is strictly greater than `skewThreshold`. It is transformed
///    with `log1p` when its minimum is ≥ 0, otherwise with
///    `signedLog1p(x) = sign(x)·log1p(|x|)`. Only right (positive) skew triggers a
///    transform. If the transform makes all values equal (possible only through
///    rounding of huge values) the column is dropped with a zero-variance warning.
/// 5. **Standard scaling.** `(x − mean) / std` with the population standard
///    deviation (ddof = 0), as scikit-learn `StandardScaler`.
///
/// Then, if no column remains, `EngineError.noUsableColumns` is thrown; if any
/// prepared value is NaN or ±inf, `EngineError.nonFinite(column:count:)` is thrown
/// for the first such column.
///
/// ```swift
/// let x = Matrix(rows: [[1, .nan], [2, 5], [3, 5]])
/// let prepared = try FeaturePreparation().fit(x, columnNames: ["orders", "views"])
/// // prepared.columnNames == ["orders"]; prepared.warnings ==
/// // ["column 'views' dropped: zero variance (all values 5)"]
/// ```
///
/// Complexity: O(n·d·log n) time (medians), O(n·d) memory.
public struct FeaturePreparation: Sendable {
    /// Skewness above which a column is log-transformed. Default 1.0; any finite
    /// value (use `.infinity` to disable transforms).
    public var skewThreshold: Double = 1.0

    /// - Parameter skewThreshold: see `skewThreshold`; default 1.0.
    public init(skewThreshold: Double = 1.0) {
        self.skewThreshold = skewThreshold
    }

    /// Prepares `x` (n × d, row-major, NaN = missing).
    ///
    /// - Parameters:
    ///   - x: n × d input; n ≥ 1.
    ///   - columnNames: d names, quoted in warnings and errors.
    /// - Returns: `PreparedFeatures` with an n × d′ matrix, d′ ≤ d.
    /// - Throws: `EngineError.emptyMatrix` when n = 0;
    ///   `.invalidParameter` when `skewThreshold` is NaN;
    ///   `.columnNameCount` when `columnNames.count ≠ d`;
    ///   `.nonFinite(column:count:)` for ±inf input or non-finite prepared values;
    ///   `.noUsableColumns` when every column is dropped (or d = 0).
    public func fit(_ x: Matrix, columnNames: [String]) throws -> PreparedFeatures {
        guard x.rows > 0 else { throw EngineError.emptyMatrix }
        guard !skewThreshold.isNaN else {
            throw EngineError.invalidParameter(name: "skew_threshold", value: "nan", rule: "a number")
        }
        guard columnNames.count == x.columns else {
            throw EngineError.columnNameCount(names: columnNames.count, columns: x.columns)
        }
        let n = x.rows
        var kept: [Int] = [], imputed: [Double] = [], imputedCounts: [Int] = []
        var transforms: [ColumnTransform] = [], means: [Double] = [], scales: [Double] = []
        var scaledColumns: [[Double]] = []
        var warnings: [String] = []

        for c in 0..<x.columns {
            let name = columnNames[c]
            var column = x.column(c)
            let present = column.filter { !$0.isNaN }
            if present.isEmpty {
                warnings.append("column '\(name)' dropped: all values missing")
                continue
            }
            let infinite = present.filter { $0.isInfinite }.count
            if infinite > 0 { throw EngineError.nonFinite(column: name, count: infinite) }
            let median = Statistics.median(present)
            let missing = n - present.count
            if missing > 0 {
                for i in 0..<n where column[i].isNaN { column[i] = median }
            }
            let lo = column.min()!, hi = column.max()!
            if lo == hi {
                warnings.append("column '\(name)' dropped: zero variance (all values \(Statistics.format(lo)))")
                continue
            }
            var transform = ColumnTransform.none
            if Statistics.skewness(column) > skewThreshold {
                transform = lo >= 0 ? .log1p : .signedLog1p
                column = column.map(transform.apply)
                if column.min()! == column.max()! {
                    warnings.append("column '\(name)' dropped: zero variance after \(transform.rawValue)")
                    continue
                }
            }
            let mean = Statistics.mean(column)
            let std = Statistics.populationVariance(column, mean: mean).squareRoot()
            if std == 0 {
                warnings.append("column '\(name)' dropped: zero variance (standard deviation underflows to 0)")
                continue
            }
            kept.append(c)
            imputed.append(median)
            imputedCounts.append(missing)
            transforms.append(transform)
            means.append(mean)
            scales.append(std)
            scaledColumns.append(column.map { ($0 - mean) / std })
        }

        guard !kept.isEmpty else { throw EngineError.noUsableColumns }
        for (j, col) in scaledColumns.enumerated() {
            let bad = col.filter { !$0.isFinite }.count
            if bad > 0 { throw EngineError.nonFinite(column: columnNames[kept[j]], count: bad) }
        }
        let d = kept.count
        var values = [Double](repeating: 0, count: n * d)
        for (j, col) in scaledColumns.enumerated() {
            for i in 0..<n { values[i * d + j] = col[i] }
        }
        return PreparedFeatures(
            matrix: Matrix(rows: n, columns: d, values: values),
            columnNames: kept.map { columnNames[$0] },
            keptColumnIndices: kept,
            imputedValues: imputed,
            imputedCounts: imputedCounts,
            transforms: transforms,
            means: means,
            scales: scales,
            warnings: warnings)
    }
}
