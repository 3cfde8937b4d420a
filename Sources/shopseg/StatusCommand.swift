import ArgumentParser
import Foundation
import ShopsegWarehouse

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show what the database holds: events, users, the last batches and runs.")

    @OptionGroup var common: CommonOptions

    @Option(parsing: .unconditional, help: "How many recent batches and runs to list.")
    var limit = 5

    @Flag(help: "Print the status as one JSON object on stdout.")
    var json = false

    func validate() throws {
        guard limit >= 1 else { throw ValidationError("--limit \(limit): pass 1 or more.") }
    }

    func run() throws {
        try reportingErrors(json: json) {
            let status = try Warehouse.status(path: common.databasePath, limit: limit, sql: common.sqlDirectory)
            print(json ? try JSONOutput.encode(status) : Self.render(status))
        }
    }

    /// `published (current)`, `running (process gone)`, or the status as stored.
    static func statusText(_ run: WarehouseStatus.Run) -> String {
        if run.isCurrent { return "\(run.status) (current)" }
        if run.processAlive == false { return "running (process gone)" }
        return run.status
    }

    static func render(_ s: WarehouseStatus) -> String {
        var lines = ["database: \(s.database)"]
        lines.append("migrations: \(s.appliedMigrations.isEmpty ? "none (run shopseg init)" : s.appliedMigrations.joined(separator: ", "))")
        if !s.pendingMigrations.isEmpty {
            lines.append("pending migrations: \(s.pendingMigrations.joined(separator: ", ")) (applied by the next init, load or build)")
        }
        if !s.deferredIndexes.isEmpty {
            lines.append("deferred indexes: \(s.deferredIndexes.joined(separator: ", ")) (built by the next build, assign or init)")
        }
        let span = s.firstEventAt.map { " from \($0) to \(s.lastEventAt ?? "")" } ?? ""
        lines.append("events: \(Format.count(s.events))\(span)")
        lines.append("users: \(Format.count(s.usersWithEvents)) with events, \(Format.count(s.usersLoaded)) loaded; items: \(Format.count(s.itemsLoaded)); rejects kept: \(Format.count(s.rejectsKept))")
        lines.append("published run: \(s.publishedRunId.map(String.init) ?? "none")")
        if !s.lastBatches.isEmpty {
            lines.append("")
            lines.append("last batches:")
            lines.append(Format.table(
                header: ["batch", "target", "loaded at", "read", "loaded", "rejected", "reject rate", "file"],
                rows: s.lastBatches.map { b in
                    [String(b.batchId), b.target, b.startedAt, Format.count(b.rowsRead), Format.count(b.rowsLoaded),
                     Format.count(b.rowsRejected), Format.percent(b.rejectRate, digits: 2), b.filePath]
                }))
        }
        if !s.lastRuns.isEmpty {
            lines.append("")
            lines.append("last runs:")
            lines.append(Format.table(
                header: ["run", "status", "started at", "as of", "view", "users", "segments", "silhouette"],
                rows: s.lastRuns.map { r in
                    [String(r.runId), Self.statusText(r), r.startedAt, r.asOf, r.featureView, r.nUsers.map(Format.count) ?? "—",
                     r.nSegments.map(Format.count) ?? "—", r.silhouette.map { String(format: "%.3f", $0) } ?? "—"]
                }))
            for r in s.lastRuns where r.error != nil { lines.append("run \(r.runId) \(r.status): \(r.error!)") }
        }
        return lines.joined(separator: "\n")
    }
}
