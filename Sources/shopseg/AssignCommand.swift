import ArgumentParser
import Foundation
import ShopsegPipeline

struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Place users who are new or changed since the published run into its segments, without reclustering.",
        discussion: """
            Users with events loaded after the published run read its features get their features computed \
            at the latest event time and are placed with the run's stored model (imputation, transforms, \
            scaling, PCA, nearest centroid — or nearest core point within eps for DBSCAN). They are written \
            into that run's user_segments with assignment = 'assigned'. Fast enough to run hourly; exits 75 \
            while a build is running.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func run() throws {
        try reportingErrors(json: json) {
            let summary = try ShopsegPipeline.Assign(warehouse: try common.openWarehouse(creating: false)).run()
            if json {
                print(try JSONOutput.encode(summary))
                return
            }
            var line = "run \(summary.runId): \(Format.plural(summary.usersAssigned, "user")) assigned "
                + "(\(Format.count(summary.usersNew)) new) of \(Format.count(summary.usersChanged)) with events since the run, "
                + "as of \(summary.asOf), \(Format.seconds(summary.durationSeconds))"
            if summary.usersChanged == 0 { line = "run \(summary.runId): no events since the run; nothing to assign" }
            print(line)
            if !summary.bySegment.isEmpty {
                let rows = summary.bySegment.sorted { Int($0.key)! < Int($1.key)! }.map { [$0.key, Format.count($0.value)] }
                print(Format.table(header: ["segment", "assigned"], rows: rows))
            }
        }
    }
}
