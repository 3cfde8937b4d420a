import ArgumentParser
import ShopsegWarehouse

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or migrate the database and install the feature views.",
        discussion: "Applies pending migrations/NNNN_*.sql in order, (re)creates changed views from queries/features/ and builds the indexes a first load deferred (as build and assign do). Running it again changes nothing.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print what was applied as one JSON object on stdout.")
    var json = false

    func run() throws {
        try reportingErrors(json: json) {
            let warehouse = try common.openWarehouse()
            var report = try warehouse.prepareSchema(replacingViews: true)
            report.builtIndexes = try warehouse.buildDeferredIndexes()
            if json { print(try JSONOutput.encode(report)); return }
            let migrations = report.appliedMigrations.isEmpty ? "schema up to date" : "applied \(report.appliedMigrations.joined(separator: ", "))"
            let views = report.changedViews.isEmpty ? "views unchanged" : "views installed: \(report.changedViews.joined(separator: ", "))"
            let indexes = report.builtIndexes.isEmpty ? "" : "; built index \(report.builtIndexes.joined(separator: ", ")) (deferred by a first load)"
            print("\(warehouse.path): \(migrations); \(views)\(indexes)")
        }
    }
}
