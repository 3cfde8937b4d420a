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
            columns, standard-scales, runs k-means++ (best of --n-init) for each k in 4–10 and keeps the \
            k with the highest silhouette (or the --k you give), and writes user_segments, segments and \
            segment_profiles under a new run_id, published in one transaction. Segment ids are carried \
            over from the published run (matched on shared users); segment_transitions records who moved. \
            One build or assign at a time: a second one exits 75 at once. A failing quality gate \
            publishes nothing and exits 79.
            """)

    @OptionGroup var common: CommonOptions

    @OptionGroup(title: "Clustering") var clustering: AlgorithmOptions

    @Option(parsing: .unconditional, help: "Seed for every random choice; the same data and seed give the same segments.")
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("Feature view (or table) to cluster: a text key column and numeric columns.", valueName: "view"))
    var features = "user_features"

    @Option(name: .customLong("as-of"),
            help: ArgumentHelp("Reference time of the features: YYYY-MM-DD (end of that UTC day) or YYYY-MM-DDTHH:MM:SSZ. Default: the latest event time.", valueName: "date"))
    var asOf: String?

    @OptionGroup(title: "Preparation") var preparation: PreparationOptions

    @OptionGroup(title: "Retention and quality gates") var gates: GateOptions

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func validate() throws {
        if let asOf, BuildOptions.parseAsOf(asOf) == nil {
            throw ValidationError("--as-of \(asOf): pass a date (2024-03-31) or a UTC date-time (2024-03-31T23:59:59Z).")
        }
    }

    func run() throws {
        try reportingErrors(json: json) {
            var options = BuildOptions()
            clustering.apply(to: &options)
            preparation.apply(to: &options)
            gates.apply(to: &options)
            options.seed = seed
            options.featureView = features
            options.asOf = asOf.flatMap(BuildOptions.parseAsOf)
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
        let header = ["segment", "size", "share", "lineage"] + columns.map { "mean \($0)" } + ["name"]
        let rows = summary.segments.map { segment in
            [String(segment.segmentId), Format.count(segment.size), Format.percent(segment.share), segment.lineage]
                + columns.map { Format.number(segment.means[$0]) } + [segment.name ?? ""]
        }
        let noise = summary.segments.first { $0.segmentId == -1 }.map { ", \(Format.count($0.size)) noise" } ?? ""
        let sampled = summary.kSweepSampleSize.map { " on a sample of \(Format.count($0)) users" } ?? ""
        let chosen = summary.chosenK.map { " (k = \($0) chosen by the highest silhouette\(sampled))" } ?? ""
        var lines = ["run \(summary.runId) published: \(Format.plural(summary.nUsers, "user")), \(Format.plural(summary.nSegments, "segment"))\(chosen)\(noise), as of \(summary.asOf)"]
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
            if !summary.vanishedSegments.isEmpty { ids += "; vanished segment ids: \(summary.vanishedSegments.map(String.init).joined(separator: ", "))" }
            lines.append(ids)
        }
        if !summary.campaigns.isEmpty {
            lines.append("campaigns: " + summary.campaigns.map {
                "\($0.campaignId) \(Format.count($0.treated + $0.holdout)) (\(Format.count($0.holdout)) held out)"
            }.joined(separator: ", "))
        }
        if !summary.prunedRuns.isEmpty { lines.append("pruned runs: \(summary.prunedRuns.map(String.init).joined(separator: ", "))") }
        lines.append("")
        lines.append(Format.table(header: header, rows: rows))
        return lines.joined(separator: "\n")
    }
}

