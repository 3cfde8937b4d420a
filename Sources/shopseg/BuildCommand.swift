import ArgumentParser
import Foundation
import ShopsegPipeline
import ShopsegWarehouse

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Cluster the users of a feature view and publish the segments as a new run.",
        discussion: """
            Reads the view as a matrix, imputes missing values (median), log1p-transforms heavy-tailed \
            columns, standard-scales, runs k-means++ (best of --n-init) and writes user_segments, segments \
            and segment_profiles under a new run_id, published in one transaction.
            """)

    @OptionGroup var common: CommonOptions

    @Option(parsing: .unconditional, help: "Number of segments (k-means n_clusters), 1 or more.")
    var k = 5

    @Option(parsing: .unconditional, help: "Seed for every random choice; the same data and seed give the same segments.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Feature view (or table) to cluster: a text key column and numeric columns.", valueName: "view"))
    var features = "user_features"

    @Option(name: .customLong("as-of"),
            help: ArgumentHelp("Reference time of the features: YYYY-MM-DD (end of that UTC day) or YYYY-MM-DDTHH:MM:SSZ. Default: the latest event time.", valueName: "date"))
    var asOf: String?

    @Option(name: .customLong("n-init"), parsing: .unconditional, help: "k-means restarts; the lowest inertia wins.")
    var nInit = 10

    @Option(name: .customLong("max-iter"), parsing: .unconditional, help: "Lloyd iterations per restart at most.")
    var maxIter = 300

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard k >= 1 else { throw ValidationError("--k \(k): pass a number of segments of 1 or more.") }
        guard nInit >= 1 else { throw ValidationError("--n-init \(nInit): pass 1 or more restarts.") }
        guard maxIter >= 1 else { throw ValidationError("--max-iter \(maxIter): pass 1 or more iterations.") }
        if let asOf, BuildOptions.parseAsOf(asOf) == nil {
            throw ValidationError("--as-of \(asOf): pass a date (2024-03-31) or a UTC date-time (2024-03-31T23:59:59Z).")
        }
    }

    func run() throws {
        try reportingErrors(json: json) {
            var options = BuildOptions()
            options.k = k
            options.seed = seed
            options.featureView = features
            options.asOf = asOf.flatMap(BuildOptions.parseAsOf)
            options.nInit = nInit
            options.maxIter = maxIter
            let warehouse = try common.openWarehouse()
            let summary = try ShopsegPipeline.Build(warehouse: warehouse, options: options).run { stage in
                if !json { printError("build: \(stage.rawValue)…") }
            }
            if json {
                print(try JSONOutput.encode(summary))
            } else {
                print(Self.render(summary))
                for warning in summary.warnings { printError("warning: \(warning)") }
            }
        }
    }

    static func render(_ summary: BuildSummary) -> String {
        let columns = ShopsegPipeline.Build.summaryColumns(summary.featuresUsed)
        let header = ["segment", "size", "share"] + columns.map { "mean \($0)" }
        let rows = summary.segments.map { segment in
            [String(segment.segmentId), Format.count(segment.size), Format.percent(segment.share)]
                + columns.map { Format.number(segment.means[$0]) }
        }
        var lines = ["run \(summary.runId) published: \(Format.plural(summary.nUsers, "user")), \(Format.plural(summary.segments.count, "segment")), as of \(summary.asOf)"]
        lines.append("features: \(summary.featuresUsed.joined(separator: ", "))")
        let silhouette = summary.silhouette.map { String(format: "%.3f", $0) + (summary.silhouetteSampled ? " (sampled)" : "") } ?? "—"
        lines.append("inertia \(Format.number(summary.inertia)), silhouette \(silhouette), \(Format.seconds(summary.durationSeconds))")
        lines.append("")
        lines.append(Format.table(header: header, rows: rows))
        return lines.joined(separator: "\n")
    }
}
