import ArgumentParser
import ShopsegWarehouse

struct Init: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Create or migrate the database and install the feature views.",
        discussion: "Applies pending migrations/NNNN_*.sql in order and (re)creates changed views from queries/features/. Running it again changes nothing.")

    @OptionGroup var common: CommonOptions

    @Flag(help: "Print what was applied as one JSON object on stdout.")
    var json = false

    func run() throws {
        try reportingErrors(json: json) {
            let warehouse = try common.openWarehouse()
            let report = try warehouse.prepareSchema(replacingViews: true)
            if json { print(try JSONOutput.encode(report)); return }
            let migrations = report.appliedMigrations.isEmpty ? "schema up to date" : "applied \(report.appliedMigrations.joined(separator: ", "))"
            let views = report.changedViews.isEmpty ? "views unchanged" : "views installed: \(report.changedViews.joined(separator: ", "))"
            print("\(warehouse.path): \(migrations); \(views)")
        }
    }
}
