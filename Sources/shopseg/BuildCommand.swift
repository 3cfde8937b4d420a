import ArgumentParser
import Foundation
import ShopsegEngine
import ShopsegPipeline
import ShopsegWarehouse

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cluster the users of a feature view and publish the segments as a new run.",
        discussion: """
            Reads the view as a matrix, imputes missing values (median), log1p-transforms heavy-tailed \
            columns, standard-scales, runs k-means++ (best of --n-init) and writes user_segments, segments \
            and segment_profiles under a new run_id, published in one transaction. Segment ids are carried \
            over from the published run (matched on shared users); segment_transitions records who moved. \
            One build or assign at a time: a second one exits 75 at once. A failing quality gate \
            publishes nothing and exits 79.
            """)

    @OptionGroup var common: CommonOptions

    @Option(help: ArgumentHelp("Clustering algorithm: kmeans, minibatch-kmeans, dbscan or agglomerative.", valueName: "name"))
    var algorithm: ClusteringAlgorithm = .kmeans

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of segments (n_clusters), 1 or more; or auto (2-10) or auto:LO-HI to choose k by the highest silhouette (k-means, mini-batch).", valueName: "k"))
    var k = "5"

    @Option(parsing: .unconditional, help: "Seed for every random choice; the same data and seed give the same segments.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Feature view (or table) to cluster: a text key column and numeric columns.", valueName: "view"))
    var features = "user_features"

    @Option(name: .customLong("as-of"),
            help: ArgumentHelp("Reference time of the features: YYYY-MM-DD (end of that UTC day) or YYYY-MM-DDTHH:MM:SSZ. Default: the latest event time.", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("n-init"), parsing: .unconditional, help: "k-means restarts; the lowest inertia wins.")
    var nInit = 10

    @Option(name: .customLong("max-iter"), parsing: .unconditional, help: "Iterations per restart at most (default: k-means 300, mini-batch 100).")
    var maxIter: Int?

    @Option(parsing: .unconditional, help: "k-means convergence tolerance, relative to the mean feature variance (scikit-learn tol).")
    var tol = 1e-4

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "Mini-batch k-means rows per batch.")
    var batchSize = 1024

    @Option(help: ArgumentHelp("Agglomerative linkage: ward, complete, average or single.", valueName: "name"))
    var linkage: Agglomerative.Linkage = .ward

    @Option(name: .customLong("distance-threshold"), parsing: .unconditional,
            help: ArgumentHelp("Agglomerative: cut the tree at this merge distance (model-space units) instead of --k.", valueName: "d"))
    var distanceThreshold: Double?

    @Option(parsing: .unconditional, help: "DBSCAN neighbourhood radius, in model-space units (scaled features or PCA scores).")
    var eps = 0.5

    @Option(name: .customLong("min-samples"), parsing: .unconditional, help: "DBSCAN: neighbours (the point itself included) that make a core point.")
    var minSamples = 5

    @Option(help: ArgumentHelp("Missing values: median or mean of the column.", valueName: "how"))
    var impute: Imputation = .median

    @Option(help: ArgumentHelp("Per-column transform: auto (log1p when skewness > 1), log1p (every column) or none.", valueName: "how"))
    var transform: TransformPolicy = .auto

    @Option(help: ArgumentHelp("Scaler: standard, robust (median/IQR), minmax or none.", valueName: "name"))
    var scaler: Scaler = .standard

    @Option(help: ArgumentHelp("Clip each column at these quantiles before transforming, as LO,HI (e.g. 0.01,0.99).", valueName: "lo,hi"))
    var winsorize: String?

    @Option(help: ArgumentHelp("Cluster on principal components: none, pca:N (N components) or pca:F (fraction of variance, 0 < F < 1).", valueName: "how"))
    var reduce = "none"

    @Option(name: .customLong("keep-runs"), parsing: .unconditional, help: "Runs to keep after publishing (newest first; the published run always stays).")
    var keepRuns = 14

    @Option(name: .customLong("min-users"), parsing: .unconditional, help: "Quality gate: publish only with at least this many users.")
    var minUsers: Int?

    @Option(name: .customLong("max-reject-rate"), help: ArgumentHelp("Quality gate: highest share of rows rejected by the loads since the published run, as 0.05 or 5%.", valueName: "rate"))
    var maxRejectRate: String?

    @Option(name: .customLong("max-segment-share"), help: ArgumentHelp("Quality gate: highest share of users one segment may hold, as 0.95 or 95%; 1 turns it off.", valueName: "share"))
    var maxSegmentShare = "0.95"

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard let choice = BuildOptions.parseK(k) else {
            throw ValidationError("--k \(k): pass a number of segments of 1 or more, auto, or auto:LO-HI with 2 <= LO <= HI.")
        }
        if choice.range != nil, ![.kmeans, .minibatchKMeans].contains(algorithm) {
            throw ValidationError("--k \(k): choosing k works with --algorithm kmeans or minibatch-kmeans; pass a number.")
        }
        if let distanceThreshold, !(distanceThreshold.isFinite && distanceThreshold >= 0) {
            throw ValidationError("--distance-threshold \(distanceThreshold): pass a finite distance >= 0.")
        }
        if distanceThreshold != nil, algorithm != .agglomerative {
            throw ValidationError("--distance-threshold applies to --algorithm agglomerative only.")
        }
        guard eps.isFinite, eps > 0 else { throw ValidationError("--eps \(eps): pass a radius > 0.") }
        guard minSamples >= 1 else { throw ValidationError("--min-samples \(minSamples): pass 1 or more.") }
        guard nInit >= 1 else { throw ValidationError("--n-init \(nInit): pass 1 or more restarts.") }
        if let maxIter, maxIter < 1 { throw ValidationError("--max-iter \(maxIter): pass 1 or more iterations.") }
        guard tol.isFinite, tol >= 0 else { throw ValidationError("--tol \(tol): pass a finite number >= 0.") }
        guard batchSize >= 1 else { throw ValidationError("--batch-size \(batchSize): pass 1 or more rows.") }
        guard keepRuns >= 1 else { throw ValidationError("--keep-runs \(keepRuns): pass 1 or more.") }
        if let minUsers, minUsers < 1 { throw ValidationError("--min-users \(minUsers): pass 1 or more.") }
        if let maxRejectRate, Fraction.parse(maxRejectRate) == nil {
            throw ValidationError("--max-reject-rate \(maxRejectRate): pass a share between 0 and 1 (0.05) or a percentage (5%).")
        }
        if Fraction.parse(maxSegmentShare) == nil {
            throw ValidationError("--max-segment-share \(maxSegmentShare): pass a share between 0 and 1 (0.95) or a percentage (95%).")
        }
        if let winsorize, Self.parseWinsorize(winsorize) == nil {
            throw ValidationError("--winsorize \(winsorize): pass two quantiles LO,HI with 0 <= LO < HI <= 1, e.g. 0.01,0.99.")
        }
        if Reduction.parse(reduce) == nil {
            throw ValidationError("--reduce \(reduce): pass none, pca:N (N >= 1) or pca:F (0 < F < 1).")
        }
        if let asOf, BuildOptions.parseAsOf(asOf) == nil {
            throw ValidationError("--as-of \(asOf): pass a date (2024-03-31) or a UTC date-time (2024-03-31T23:59:59Z).")
        }
    }

    func run() throws {
        try reportingErrors(json: json) {
            var options = BuildOptions()
            let choice = BuildOptions.parseK(k)!
            options.algorithm = algorithm
            options.k = choice.k ?? 0
            options.kRange = choice.range
            options.tol = tol
            options.linkage = linkage
            options.distanceThreshold = distanceThreshold
            options.eps = eps
            options.minSamples = minSamples
            options.impute = impute
            options.transform = transform
            options.scaler = scaler
            options.winsorize = winsorize.flatMap(Self.parseWinsorize)
            options.reduce = Reduction.parse(reduce) ?? .none
            options.batchSize = batchSize
            options.seed = seed
            options.featureView = features
            options.asOf = asOf.flatMap(BuildOptions.parseAsOf)
            options.nInit = nInit
            options.maxIter = maxIter
            options.keepRuns = keepRuns
            options.minUsers = minUsers
            options.maxRejectRate = maxRejectRate.flatMap(Fraction.parse)
            options.maxSegmentShare = Fraction.parse(maxSegmentShare) ?? 0.95
            let warehouse = try common.openWarehouse()
            let summary = try ShopsegPipeline.Build(warehouse: warehouse, options: options).run { stage in
                printError("build: \(stage.rawValue)…")
            }
            if json {
                print(try JSONOutput.encode(summary))
            } else {
                print(Self.render(summary))
            }
            for warning in summary.warnings { printError("warning: \(warning)") }
        }
    }

    static func render(_ summary: BuildSummary) -> String {
        let columns = ShopsegPipeline.Build.summaryColumns(summary.featuresUsed)
        let header = ["segment", "size", "share", "lineage"] + columns.map { "mean \($0)" }
        let rows = summary.segments.map { segment in
            [String(segment.segmentId), Format.count(segment.size), Format.percent(segment.share), segment.lineage]
                + columns.map { Format.number(segment.means[$0]) }
        }
        var lines = ["run \(summary.runId) published: \(Format.plural(summary.nUsers, "user")), \(Format.plural(summary.segments.count, "segment")), as of \(summary.asOf)"]
        lines.append("features: \(summary.featuresUsed.joined(separator: ", "))")
        if let components = summary.principalComponents, let ratio = summary.explainedVarianceRatio {
            lines.append("clustered on \(Format.plural(components, "principal component")) (\(Format.percent(ratio)) of the variance), algorithm \(summary.algorithm)")
        } else if summary.algorithm != "kmeans" {
            lines.append("algorithm \(summary.algorithm)")
        }
        let silhouette = summary.silhouette.map { String(format: "%.3f", $0) + (summary.silhouetteSampled ? " (sampled)" : "") } ?? "—"
        lines.append("inertia \(summary.inertia.map { Format.number($0) } ?? "—"), silhouette \(silhouette), \(Format.seconds(summary.durationSeconds))")
        if let previous = summary.previousRunId {
            var ids = "segment ids matched to run \(previous): \(Format.count(summary.usersKeepingSegment)) of \(Format.count(summary.returningUsers)) returning users kept theirs"
            if !summary.vanishedSegments.isEmpty { ids += "; vanished: \(summary.vanishedSegments.map(String.init).joined(separator: ", "))" }
            lines.append(ids)
        }
        if !summary.prunedRuns.isEmpty { lines.append("pruned runs: \(summary.prunedRuns.map(String.init).joined(separator: ", "))") }
        lines.append("")
        lines.append(Format.table(header: header, rows: rows))
        return lines.joined(separator: "\n")
    }
}

extension Build {
    static func parseWinsorize(_ text: String) -> Winsorization? {
        let parts = text.split(separator: ",", omittingEmptySubsequences: false).map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard parts.count == 2, let lo = parts[0], let hi = parts[1], lo >= 0, hi <= 1, lo < hi else { return nil }
        return Winsorization(lower: lo, upper: hi)
    }
}

extension ClusteringAlgorithm: ExpressibleByArgument {}
extension Agglomerative.Linkage: ExpressibleByArgument {}
extension Imputation: ExpressibleByArgument {}
extension TransformPolicy: ExpressibleByArgument {}
extension Scaler: ExpressibleByArgument {}
