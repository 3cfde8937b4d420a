import ArgumentParser
import Foundation
import ShopsegIngest
import ShopsegWarehouse

struct Load: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Load a CSV or JSON Lines file into events, users or items.",
        discussion: """
            events: behaviour events (view, cart, purchase, return, rating). users: user attributes \
            (signup, birth date, country…). items: item attributes (name, category, price…). \
            The file commits as one batch: every row is loaded or kept in load_rejects with its line and reason.
            """)

    @OptionGroup var common: CommonOptions

    @Argument(help: ArgumentHelp("What the file holds.", valueName: "target"))
    var target: LoadTarget

    @OptionGroup var load: LoadArguments

    func run() throws { try load.run(target: target, common: common) }
}

extension LoadTarget: ExpressibleByArgument {}
extension Delimiter: ExpressibleByArgument {}
extension SourceFormat: ExpressibleByArgument {}

/// Arguments shared by the three `load` commands.
struct LoadArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The file to load (CSV or JSON Lines).", valueName: "file"))
    var file: String

    @Option(help: ArgumentHelp("YAML mapping of the file's columns to canonical fields (default: the header already uses canonical names).", valueName: "yaml"))
    var mapping: String?

    @Option(help: ArgumentHelp("File format when there is no mapping (default: jsonl for .jsonl/.ndjson files, else csv).", valueName: "format"))
    var format: SourceFormat?

    @Option(help: ArgumentHelp("CSV delimiter when there is no mapping; whitespace means runs of spaces or tabs (default: tab for .tsv, else comma).", valueName: "name"))
    var delimiter: Delimiter?

    @Option(name: .customLong("max-reject-rate"), parsing: .unconditional,
            help: ArgumentHelp("Largest share of rejected rows that still loads the file, as a fraction (0.05) or percent (5%). Above it nothing is loaded. Default 1%.", valueName: "rate"))
    var maxRejectRate: String?

    @Flag(help: "Load the file even if the same content was loaded before.")
    var force = false

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func validate() throws {
        if let text = maxRejectRate, Fraction.parse(text) == nil {
            throw ValidationError("--max-reject-rate \(text): pass a fraction between 0 and 1 (0.05) or a percent (5%).")
        }
        if mapping != nil && (format != nil || delimiter != nil) {
            throw ValidationError("--format and --delimiter apply only without --mapping; set them in the mapping file instead.")
        }
    }

    func run(target: LoadTarget, common: CommonOptions) throws {
        try reportingErrors(json: json) {
            let url = URL(fileURLWithPath: file)
            let sourceMapping: SourceMapping
            if let mapping {
                sourceMapping = try SourceMapping.load(from: URL(fileURLWithPath: mapping))
            } else {
                let ext = url.pathExtension.lowercased()
                let format = format ?? (["jsonl", "ndjson"].contains(ext) ? .jsonl : .csv)
                sourceMapping = SourceMapping.canonical(target: target, format: format, delimiter: delimiter ?? (ext == "tsv" ? .tab : .comma))
            }
            let options = LoadOptions(target: target, mapping: sourceMapping, mappingPath: mapping, force: force,
                                      maxRejectRate: maxRejectRate.flatMap(Fraction.parse) ?? LoadOptions.defaultMaxRejectRate)
            let source = try options.check(file: url)   // bad input fails before the database is opened
            let warehouse = try common.openWarehouse()
            let meter = ProgressLine(label: "loading \(url.lastPathComponent)")
            let summary = try warehouse.load(source) { progress in
                meter.update(fraction: progress.totalBytes > 0 ? Double(progress.bytesRead) / Double(progress.totalBytes) : 0,
                             detail: "\(Format.count(progress.rowsRead)) rows, \(Format.count(Int(Double(progress.rowsRead) / max(progress.elapsedSeconds, 0.001)))) rows/s")
            }
            meter.finish()
            if json {
                print(try JSONOutput.encode(summary))
            } else {
                for reject in summary.firstRejects { printError("rejected: \(reject)") }
                for warning in summary.warnings { printError("warning: \(warning)") }
                if summary.rowsRejected > summary.firstRejects.count {
                    printError("… \(Format.plural(summary.rowsRejected - summary.firstRejects.count, "more reject")) in load_rejects (batch_id = \(summary.batchId))")
                }
                print("loaded \(summary.target) from \(summary.filePath): \(Format.plural(summary.rowsRead, "row")) read, "
                      + "\(Format.count(summary.rowsLoaded)) loaded, \(Format.count(summary.rowsRejected)) rejected "
                      + "(batch \(summary.batchId), \(Format.seconds(Double(summary.durationMs) / 1000)))")
            }
        }
    }
}
