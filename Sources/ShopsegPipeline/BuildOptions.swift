import Foundation
import ShopsegEngine

/// The clustering algorithm of a build.
public enum ClusteringAlgorithm: String, Sendable, Codable, CaseIterable {
    case kmeans
    case minibatchKMeans = "minibatch-kmeans"
    case dbscan
    case agglomerative
}

/// `--reduce`: cluster on principal components instead of the prepared columns.
public enum Reduction: Sendable, Codable, Equatable {
    case none
    /// PCA keeping this many components.
    case pcaCount(Int)
    /// PCA keeping the fewest components whose explained variance exceeds this fraction.
    case pcaVariance(Double)

    /// Parses `none`, `pca:N` or `pca:0.9`.
    public static func parse(_ text: String) -> Reduction? {
        if text == "none" { return Reduction.none }
        guard text.hasPrefix("pca:") else { return nil }
        let value = String(text.dropFirst(4))
        if let count = Int(value) { return count >= 1 ? .pcaCount(count) : nil }
        guard value.allSatisfy({ $0.isNumber || $0 == "." }), let fraction = Double(value), fraction > 0, fraction < 1 else { return nil }
        return .pcaVariance(fraction)
    }

    var label: String {
        switch self {
        case .none: return "none"
        case let .pcaCount(n): return "pca:\(n)"
        case let .pcaVariance(f): return "pca:\(f)"
        }
    }
}

/// Settings of one `shopseg build`.
public struct BuildOptions: Sendable, Equatable {
    public var algorithm: ClusteringAlgorithm = .kmeans
    /// Number of segments, k ≥ 1 (scikit-learn `n_clusters`); ignored when `kRange` is set, and by DBSCAN.
    public var k: Int = 5
    /// `--k auto[:lo-hi]`: choose k in this range by the highest silhouette (k-means and mini-batch only).
    public var kRange: ClosedRange<Int>?
    /// Seed of every random choice (k-means++ seeding, silhouette sampling).
    public var seed: UInt64 = 0
    /// The feature view (or table) to cluster: a text key column and numeric columns.
    public var featureView: String = "user_features"
    /// Reference instant of the feature views (UTC ISO-8601); nil = the latest event time.
    public var asOf: String?
    /// Seedings; the lowest inertia wins (scikit-learn `n_init`); nil = the algorithm's default (k-means 10, mini-batch 1).
    public var nInit: Int?
    /// Iterations per restart (scikit-learn `max_iter`); nil = the algorithm's default (k-means 300, mini-batch 100).
    public var maxIter: Int?
    /// Mini-batch size (scikit-learn `batch_size`).
    public var batchSize: Int = 1024
    /// Agglomerative linkage (scikit-learn `linkage`).
    public var linkage: Agglomerative.Linkage = .ward
    /// Agglomerative: cut the tree at this merge distance instead of at k clusters (model-space units).
    public var distanceThreshold: Double?
    /// DBSCAN neighbourhood radius (scikit-learn `eps`), model-space units.
    public var eps: Double = 0.5
    /// DBSCAN core-point threshold, the point itself included (scikit-learn `min_samples`).
    public var minSamples: Int = 5
    /// Convergence tolerance relative to the mean feature variance (scikit-learn `tol`); nil = the
    /// algorithm's default (k-means 1e-4, mini-batch 0 = off).
    public var tol: Double?
    // Preparation (scikit-learn SimpleImputer / StandardScaler / RobustScaler / MinMaxScaler).
    public var impute: Imputation = .median
    public var transform: TransformPolicy = .auto
    public var scaler: Scaler = .standard
    /// Clip each column at these quantiles before transforming; nil = no winsorising.
    public var winsorize: Winsorization?
    public var reduce: Reduction = .none

    /// Silhouette is exact up to this many users, sampled (seeded) above it.
    public var silhouetteSampleLimit: Int = 30_000
    /// Choosing k (`kRange`) above `kSweepSample.threshold` users (default 100 000): every k is
    /// fitted and scored on a sample of `kSweepSample.size` users (default 100 000) drawn with
    /// `seed`, and the chosen k is fitted again on all users (see `SweepSample`). At or below
    /// the threshold every k is fitted on every user.
    public var kSweepSample = SweepSample()

    // Retention and quality gates (a failing gate publishes nothing).
    /// Runs kept after a publish (the newest by run_id; the published run always stays). Default 14; ≥ 1.
    public var keepRuns: Int = 14
    /// Fewest users a build may publish; nil = no gate.
    public var minUsers: Int?
    /// Highest share (0…1) of rows rejected by the loads since the published run; nil = no gate.
    public var maxRejectRate: Double?
    /// Highest share (0…1) of users one segment (noise included) may hold; 1 = no gate.
    /// Not applied when k = 1. Default 0.95.
    public var maxSegmentShare: Double = 0.95

    public init() {}

    /// The algorithm's name as recorded on the run.
    public var algorithmName: String { algorithm.rawValue }

    /// The k range `shopseg build` searches when `--k` is not given (k-means and mini-batch;
    /// agglomerative keeps k = 5): the highest silhouette in 4…10. Not 2…10 (`--k auto`): on
    /// behaviour logs one split (buyers vs browsers, active vs lapsed) dominates, and the
    /// silhouette of that 2-way split is within 0.002 of the 6- and 7-way ones on the generator's
    /// data, so 2…10 returned 2 segments (ARI 0.26 against the planted types at 100k users)
    /// where 4…10 returns 7 (ARI 0.88); two or three segments are also too coarse to act on.
    public static let defaultKRange: ClosedRange<Int> = 4...10

    /// Parses `--k`: a number, `auto` (2…10) or `auto:LO-HI` (2 ≤ LO ≤ HI ≤ 50: each k is a full
    /// clustering, so the sweep is kept to a range a person would read).
    public static func parseK(_ text: String) -> (k: Int?, range: ClosedRange<Int>?)? {
        if let k = Int(text) { return k >= 1 ? (k, nil) : nil }
        if text == "auto" { return (nil, 2...10) }
        guard text.hasPrefix("auto:") else { return nil }
        let bounds = text.dropFirst(5).split(separator: "-", omittingEmptySubsequences: false).map { Int($0) }
        guard bounds.count == 2, let lo = bounds[0], let hi = bounds[1], lo >= 2, hi >= lo, hi <= 50 else { return nil }
        return (nil, lo...hi)
    }

    /// Parses `--as-of`: `YYYY-MM-DD` means the end of that UTC day (its events included);
    /// `YYYY-MM-DDTHH:MM:SSZ` is taken as given. Returns canonical `YYYY-MM-DDTHH:MM:SSZ`, or nil.
    public static func parseAsOf(_ text: String) -> String? {
        let parts = text.split(separator: "T", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let day = parts.first, day.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "-") }) else { return nil }
        let date = day.split(separator: "-").compactMap { Int($0) }
        guard date.count == 3, day.count == 10, (1...12).contains(date[1]),
              (1...daysIn(month: date[1], year: date[0])).contains(date[2]) else { return nil }
        var time = "23:59:59"
        if parts.count == 2 {
            var clock = parts[1]
            guard clock.hasSuffix("Z") else { return nil }
            clock.removeLast()
            let fields = clock.split(separator: ":").compactMap { Int($0) }
            guard clock.count == 8, clock.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ":") }), fields.count == 3, fields[0] < 24, fields[1] < 60, fields[2] < 60 else { return nil }
            time = clock
        }
        return "\(day)T\(time)Z"
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
