import Foundation
import ShopsegEngine
import ShopsegWarehouse

/// The tool's version, recorded on every run.
public let shopsegVersion = "0.1.0"

/// Stages of a build, reported to the caller as they start.
public enum BuildStage: String, Sendable {
    case indexing = "indexing events (once, after a first load)"
    case readingFeatures = "reading features"
    case preparing = "preparing matrix"
    case clustering = "clustering"
    case evaluating = "evaluating"
    case matching = "matching segment ids"
    case describing = "profiles, names, RFM scores, retention models"
    case writing = "writing results"
}

/// A build: lock → features → engine → stable ids → gates → publish → prune. Orchestration only.
public struct Build {
    public let warehouse: Warehouse
    public let options: BuildOptions

    public init(warehouse: Warehouse, options: BuildOptions) {
        self.warehouse = warehouse
        self.options = options
    }

    /// Runs the build. Only one build or assign works on a database at a time (``BuildLock``);
    /// runs left `running` by a process that died are marked `abandoned` first. The run is recorded
    /// as `running`, then `published` in one final transaction that also moves the published
    /// pointer, or `failed` with the error text (the previous published run stays current).
    ///
    /// - Throws: ``PipelineError/busy(database:runningRunId:startedAt:pid:)`` when another build or
    ///   assign holds the lock; ``PipelineError/qualityGate(gate:message:)`` when a gate refuses;
    ///   `WarehouseError` (no events, none before as_of, unusable feature view); ``PipelineError``
    ///   (fewer users than k); `EngineError` (no usable column, non-finite values); `DatabaseError`.
    public func run(progress: ((BuildStage) -> Void)? = nil) throws -> BuildSummary {
        let started = Date()
        let lock = try WriterLock.acquire(warehouse)
        defer { withExtendedLifetime(lock) {} }
        var warnings = try warehouse.prepareSchema().differingViewWarnings(sql: warehouse.sql)
        if try !warehouse.deferredIndexes().isEmpty {
            progress?(.indexing)
            try warehouse.buildDeferredIndexes()
        }
        // Campaign files are read and compiled before any work: a broken one fails at once.
        let campaigns = try CampaignFile.loadAll(from: warehouse.sql)
        try warehouse.checkCampaigns(campaigns)
        if !FileManager.default.fileExists(atPath: warehouse.sql.campaignsURL.path) {
            warnings.append("no campaigns evaluated: \(warehouse.sql.campaignsURL.path) does not exist (copy queries/campaigns/ into your --sql-dir)")
        }
        for abandoned in try warehouse.abandonUnfinishedRuns(by: "the build started at \(Timestamps.now())") {
            warnings.append("run \(abandoned) was left running by a process that ended; marked abandoned")
        }
        guard let asOf = try options.asOf ?? warehouse.latestEventTime() else { throw WarehouseError.noEvents }
        let runId = try warehouse.startRun(asOf: asOf, featureView: options.featureView, algorithm: options.algorithmName,
                                           parametersJSON: try BuildParameters.json(options, extra: [:]), toolVersion: shopsegVersion)
        var summary: BuildSummary
        do {
            summary = try BuildRun(warehouse: warehouse, options: options, runId: runId, asOf: asOf, campaigns: campaigns,
                                   progress: progress).execute(warnings: warnings)
        } catch {
            try? warehouse.failRun(runId, error: String(describing: error))
            throw error
        }
        do {
            summary.prunedRuns = try warehouse.pruneRuns(keep: options.keepRuns)
        } catch {
            summary.warnings.append("published, but pruning runs older than the newest \(options.keepRuns) failed: \(error)")
        }
        summary.durationSeconds = Date().timeIntervalSince(started)
        return summary
    }

    /// The columns the summary table shows, among those clustered: RFM first when present, then the others in view order; four at most.
    public static func summaryColumns(_ columns: [String]) -> [String] {
        let preferred = ["recency_days", "frequency", "monetary_total", "views"].filter(columns.contains)
        return Array((preferred + columns.filter { !preferred.contains($0) }).prefix(4))
    }
}

/// Takes the database's writer lock or explains who holds it.
enum WriterLock {
    static func acquire(_ warehouse: Warehouse) throws -> BuildLock {
        guard let lock = try BuildLock.acquire(database: warehouse.path) else {
            let running = try? warehouse.runningRun()
            throw PipelineError.busy(database: warehouse.path, runningRunId: running?.runId, startedAt: running?.startedAt, pid: running?.pid)
        }
        // Belt and braces: if the lock file was deleted under a live build, its run is still
        // `running` with a live shopseg process; never mark that one abandoned.
        // (A database not yet migrated has no run table: nothing can be running.)
        if let running = (try? warehouse.runningRun()) ?? nil, let pid = running.pid, ProcessProbe.isLiveShopseg(pid: pid) {
            throw PipelineError.busy(database: warehouse.path, runningRunId: running.runId, startedAt: running.startedAt, pid: pid)
        }
        return lock
    }
}


enum Timestamps {
    static func now() -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date())
    }
}
