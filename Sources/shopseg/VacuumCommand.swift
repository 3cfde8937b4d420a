import ArgumentParser
import Foundation
import ShopsegWarehouse

struct Vacuum: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Refresh query-planner statistics (ANALYZE) and compact the file (VACUUM).",
        discussion: """
            VACUUM rewrites the whole file: it needs free disk space about the file's size and holds \
            writers off while it runs (readers keep reading). Use --analyze-only for the quick part.
            """)

    @OptionGroup var common: CommonOptions

    @Flag(name: .customLong("analyze-only"), help: "Run ANALYZE only, not VACUUM.")
    var analyzeOnly = false

    @Flag(help: "Print the result as one JSON object on stdout.")
    var json = false

    struct Summary: Encodable {
        let database: String
        let vacuumed: Bool
        let bytesBefore: Int64
        let bytesAfter: Int64
    }

    func run() throws {
        try reportingErrors(json: json) {
            let warehouse = try common.openWarehouse(creating: false)
            let sizes = try warehouse.analyze(vacuum: !analyzeOnly)
            let summary = Summary(database: warehouse.path, vacuumed: !analyzeOnly, bytesBefore: sizes.before, bytesAfter: sizes.after)
            if json {
                print(try JSONOutput.encode(summary))
            } else {
                print("\(warehouse.path): analyzed\(analyzeOnly ? "" : " and vacuumed"); \(Format.count(Int(sizes.before))) → \(Format.count(Int(sizes.after))) bytes")
            }
        }
    }
}
