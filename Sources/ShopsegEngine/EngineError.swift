/// The one error type of the numeric engine.
///
/// Messages follow scikit-learn's style: they quote parameter names and actual
/// values and state the rule that was broken, e.g.
/// `n_samples=3 should be >= n_clusters=8`. Customer data values never appear in
/// messages; only counts, shapes, indices and column names do.
///
/// Degenerate-but-valid outcomes (fewer distinct points than clusters, no
/// convergence, dropped columns) are not errors: they are reported as
/// `warnings` on the result.
public enum EngineError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The input matrix has no rows (n_samples = 0).
    case emptyMatrix
    /// The input matrix has no columns (n_features = 0).
    case noFeatures(samples: Int)
    /// `columnNames.count` differs from the matrix's column count.
    case columnNameCount(names: Int, columns: Int)
    /// Feature preparation dropped every column (all missing or zero variance).
    case noUsableColumns
    /// After feature preparation `count` values of `column` are NaN or ±inf.
    case nonFinite(column: String, count: Int)
    /// An algorithm input (`name` is "X" or "initial_centroids") contains NaN or
    /// ±inf: `count` such values, the first at (`row`, `column`).
    case nonFiniteInput(name: String, count: Int, row: Int, column: Int)
    /// Fewer samples than clusters.
    case tooFewSamples(n: Int, k: Int)
    /// A setting is outside its valid range; `rule` is e.g. `">= 1"`.
    case invalidParameter(name: String, value: String, rule: String)
    /// A matrix argument has the wrong shape.
    case shapeMismatch(name: String, expectedRows: Int, expectedColumns: Int, rows: Int, columns: Int)
    /// `labels.count` differs from the number of samples.
    case labelCount(labels: Int, samples: Int)
    /// Silhouette needs 2 ≤ n_labels ≤ n_samples − 1 distinct labels.
    case invalidLabelCount(labels: Int, samples: Int)
    // MARK: agglomerative
    /// `Agglomerative` needs exactly one of `n_clusters` and `distance_threshold`.
    case clusterCountXorDistanceThreshold(clusterCount: Int?, distanceThreshold: Double?)
    /// A linkage that keeps an n × n condensed distance matrix was asked for more
    /// than `limit` samples.
    case tooManySamplesForLinkage(linkage: String, samples: Int, limit: Int)

    // MARK: k-means, mini-batch, metrics, k selection
    /// Two labelings to compare have different lengths.
    case inconsistentLabelLengths(first: Int, second: Int)
    /// A k range whose smallest k already exceeds n_samples − 1 (the largest k
    /// for which the silhouette is defined).
    case kRangeAboveSamples(lower: Int, upper: Int, samples: Int)
    // MARK: preparation+PCA
    /// A column's values are so large that its scaling statistics overflow, or its prepared
    /// values would overflow distance computations (|value| > 1e100).
    case valueTooLarge(column: String)
    /// `PreparationModel.apply` got a column named `found` at `index` where the
    /// preparation was fitted on `expected`.
    case columnNamesMismatch(index: Int, expected: String, found: String)

    // MARK: retention
    /// A retention model (`model` is "BG/NBD" or "Gamma-Gamma") got no customers.
    case noCustomers(model: String)
    /// Per-customer arrays `names` of a retention model have different lengths `counts`.
    case inconsistentCustomerArrays(model: String, names: [String], counts: [Int])
    /// Entry `index` of the per-customer array `name` breaks `rule` (value not shown).
    case invalidCustomerValue(name: String, index: Int, rule: String)
    /// No customer has a repeat purchase (every frequency is 0), so the model's
    /// likelihood has no maximum.
    case noRepeatPurchases(model: String, customers: Int)
    /// The maximum-likelihood optimiser of `model` hit its iteration limit.
    case notConverged(model: String, iterations: Int)
    /// The log-likelihood of `model` is not finite at the optimiser's start.
    case nonFiniteLikelihood(model: String)
    /// The ₂F₁ hypergeometric series did not converge within `terms` terms.
    case hypergeometricNotConverged(terms: Int)

    public var description: String {
        switch self {
        case .emptyMatrix:
            return "X is empty: n_samples=0; at least 1 sample is required"
        case let .noFeatures(samples):
            return "X has n_features=0 (n_samples=\(samples)); at least 1 feature is required"
        case let .columnNameCount(names, columns):
            return "len(column_names)=\(names) should be == n_features=\(columns)"
        case .noUsableColumns:
            return "no usable columns: every column was dropped (all values missing or zero variance)"
        case let .nonFinite(column, count):
            return "column '\(column)' has \(count) non-finite value(s) (NaN or ±inf) after preparation"
        case let .nonFiniteInput(name, count, row, column):
            return "\(name) contains \(count) non-finite value(s) (NaN or ±inf), first at row=\(row), column=\(column)"
        case let .tooFewSamples(n, k):
            return "n_samples=\(n) should be >= n_clusters=\(k)"
        case let .invalidParameter(name, value, rule):
            return "\(name)=\(value) should be \(rule)"
        case let .shapeMismatch(name, er, ec, r, c):
            return "\(name) has shape (\(r), \(c)); expected (\(er), \(ec))"
        case let .labelCount(labels, samples):
            return "len(labels)=\(labels) should be == n_samples=\(samples)"
        case let .invalidLabelCount(labels, samples):
            return "Number of labels is \(labels). Valid values are 2 to n_samples - 1 (inclusive) with n_samples=\(samples)"

        // MARK: k-means, mini-batch, metrics, k selection
        case let .inconsistentLabelLengths(first, second):
            return "Found input variables with inconsistent numbers of samples: [\(first), \(second)]"
        case let .kRangeAboveSamples(lower, upper, samples):
            return "k range \(lower)...\(upper) needs n_samples >= \(lower + 1) (k <= n_samples - 1); got n_samples=\(samples)"
        // MARK: preparation+PCA
        case let .valueTooLarge(column):
            return "column '\(column)' has values too large to scale (a statistic or a squared distance overflows a double); winsorise it (--winsorize), log-transform it if it is non-negative (--transform log1p), or fix the view"
        case let .columnNamesMismatch(index, expected, found):
            return "column_names[\(index)]='\(found)' should be == '\(expected)' (the column the preparation was fitted on)"
        // MARK: agglomerative
        case let .clusterCountXorDistanceThreshold(k, t):
            return "Exactly one of n_clusters and distance_threshold has to be set, and the other needs to be None "
                + "(n_clusters=\(k.map { "\($0)" } ?? "None"), distance_threshold=\(t.map { "\($0)" } ?? "None"))"
        case let .tooManySamplesForLinkage(linkage, samples, limit):
            return "linkage='\(linkage)' keeps an n_samples x n_samples distance matrix: n_samples=\(samples) should be <= \(limit); "
                + "use linkage='ward' (two-stage above its limit) or 'single', which need O(n_samples * n_features) memory"
        // MARK: retention
        case let .noCustomers(model):
            return "\(model): no customers (n_customers=0); at least 1 customer is required"
        case let .inconsistentCustomerArrays(model, names, counts):
            return "\(model): per-customer arrays should have equal lengths: "
                + zip(names, counts).map { "len(\($0))=\($1)" }.joined(separator: ", ")
        case let .invalidCustomerValue(name, index, rule):
            return "\(name)[\(index)] should be \(rule)"
        case let .noRepeatPurchases(model, customers):
            return "\(model): none of the n_customers=\(customers) customers has frequency >= 1 (a repeat purchase); "
                + "the model cannot be fitted"
        case let .notConverged(model, iterations):
            return "\(model): maximum-likelihood fit did not converge in \(iterations) iterations; "
                + "increase max_iter or check the input summary"
        case let .nonFiniteLikelihood(model):
            return "\(model): the log-likelihood is not finite at the starting parameters; check the input summary"
        case let .hypergeometricNotConverged(terms):
            return "hypergeometric 2F1 series did not converge in \(terms) terms"
        }
    }
}
