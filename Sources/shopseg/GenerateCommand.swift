import ArgumentParser
import Foundation
import ShopsegPipeline
import ShopsegSynth
import ShopsegWarehouse

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Generate a synthetic shop's behaviour logs with planted customer types.",
        discussion: """
            Users of seven planted types (champions, loyal, bargain_hunters, window_shoppers, at_risk, new, \
            one_off_buyers; see docs/generator.md) browse, buy, return and rate items over --days days \
            from 2025-01-01, about 20 events per user. The same --seed gives the same bytes. \
            With --out events.csv: writes it and its siblings events.users.csv, events.items.csv and \
            events.truth.csv (user_id, planted_segment). Without --out: loads into the database like \
            `load` (batches, rejects) and writes the planted types to synthetic_truth.
            """)

    @OptionGroup var common: CommonOptions

    // .unconditional: "--users -5" reaches the range check below instead of reading as an option.
    @Option(parsing: .unconditional, help: ArgumentHelp("Number of users.", valueName: "n"))
    var users = 10_000

    @Option(parsing: .unconditional, help: ArgumentHelp("Length of the period in days from 2025-01-01, at least 30.", valueName: "d"))
    var days = 365

    @Option(help: ArgumentHelp("Seed of every random draw.", valueName: "s"))
    var seed: UInt64 = 0

    @Option(help: ArgumentHelp("File format.", valueName: "format"))
    var format: SyntheticFormat = .csv

    @Option(help: ArgumentHelp("Events file to write (e.g. events.csv); the users, items and truth files go next to it as events.users.csv, events.items.csv, events.truth.csv.", valueName: "file"))
    var out: String?

    @Flag(help: "Print the summary as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard users >= 1 else { throw ValidationError("--users \(users): pass at least 1.") }
        guard days >= 30 else { throw ValidationError("--days \(days): pass at least 30.") }
        if out != nil && common.db != nil {
            throw ValidationError("Pass either --out FILE (write files) or --db PATH (load into the database), not both.")
        }
    }

    func run() throws {
        try reportingErrors(json: json) {
            let shop = SyntheticShop(users: users, days: days, seed: seed)
            let meter = ProgressLine(label: "generating \(Format.count(users)) users")
            let progress: (Int) -> Void = { done in meter.update(fraction: Double(done) / Double(users), detail: "\(Format.count(done)) users") }
            if let out {
                let files = SyntheticFiles(events: URL(fileURLWithPath: out), format: format)
                let summary = try SyntheticWriter(shop: shop, format: format).write(to: files, progress: progress)
                meter.finish()
                if json {
                    print(try JSONOutput.encode(summary))
                } else {
                    print("generated \(Format.count(summary.users)) users, \(Format.count(summary.items)) items, "
                          + "\(Format.count(summary.events)) events (seed \(seed)): "
                          + files.all.map(\.path).joined(separator: ", "))
                }
            } else {
                let warehouse = try common.openWarehouse()
                let summary = try SyntheticLoad(shop: shop, format: format).run(into: warehouse, generated: progress) { table in
                    meter.finish()
                    if !json { printError("loading \(table)") }
                }
                if json {
                    print(try JSONOutput.encode(summary))
                } else {
                    print("generated \(Format.count(summary.generation.users)) users (seed \(seed)) into \(warehouse.path): "
                          + "\(Format.count(summary.events.rowsLoaded)) events (batch \(summary.events.batchId)), "
                          + "\(Format.count(summary.users.rowsLoaded)) users, \(Format.count(summary.items.rowsLoaded)) items, "
                          + "\(Format.count(summary.events.rowsRejected + summary.users.rowsRejected + summary.items.rowsRejected)) rejected; "
                          + "\(Format.count(summary.truthRows)) rows in synthetic_truth")
                }
            }
        }
    }
}

extension SyntheticFormat: ExpressibleByArgument {}
