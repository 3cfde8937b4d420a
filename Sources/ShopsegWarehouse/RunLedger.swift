import Foundation
import GRDB

/// The published run a new build is matched against.
public struct PublishedRun: Sendable, Equatable {
    public let runId: Int64
    public let asOf: String
    /// user_id → segment_id of every user in the run (clustered and assigned).
    public let segmentOfUser: [String: Int]
    /// segment_id → name, for segments that have one.
    public let segmentNames: [Int: String]
}

extension Warehouse {
    /// Number of rows in `events`.
    public func eventCount() throws -> Int {
        try pool.read { try Int.fetchOne($0, sql: "select count(*) from events") ?? 0 }
    }

    /// The latest event time (UTC ISO-8601), or nil when no events are loaded.
    public func latestEventTime() throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "select max(occurred_at) from events") }
    }

    /// Marks every run still `running` as `abandoned`: its process ended without finishing. Call
    /// only while holding the ``BuildLock`` (then no other build can be running).
    /// - Returns: the run ids marked.
    @discardableResult
    public func abandonUnfinishedRuns(by runner: String) throws -> [Int64] {
        try pool.write { db in
            let ids = try Int64.fetchAll(db, sql: "select run_id from segmentation_runs where status = 'running' order by run_id")
            try db.execute(sql: """
                update segmentation_runs set status = 'abandoned', finished_at = coalesce(finished_at, ?),
                    error = coalesce(error, 'the process ended before the run finished (killed or crashed); marked by ' || ?)
                where status = 'running'
                """, arguments: [Timestamps.iso(Date()), runner])
            return ids
        }
    }

    /// The run currently `running`, if any (for the message of a refused second build).
    public func runningRun() throws -> (runId: Int64, startedAt: String, pid: Int?)? {
        try pool.read { db in
            try Row.fetchOne(db, sql: "select run_id, started_at, pid from segmentation_runs where status = 'running' order by run_id desc limit 1")
                .map { ($0["run_id"], $0["started_at"], $0["pid"]) }
        }
    }

    /// Records a new run as `running`. Nothing readers see changes until ``publishRun(_:_:)``.
    /// - Returns: the new run_id.
    public func startRun(asOf: String, featureView: String, algorithm: String, parametersJSON: String,
                         toolVersion: String) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                insert into segmentation_runs (status, started_at, as_of, feature_view, algorithm, parameters, tool_version, pid)
                values ('running', ?, ?, ?, ?, ?, ?, ?)
                """, arguments: [Timestamps.iso(Date()), asOf, featureView, algorithm, parametersJSON, toolVersion,
                                 Int(ProcessInfo.processInfo.processIdentifier)])
            return db.lastInsertedRowID
        }
    }

    /// The current published run and its users' segments, or nil before the first publish.
    public func publishedRun() throws -> PublishedRun? {
        try pool.read { db in
            guard let row = try Row.fetchOne(db, sql: "select run_id, as_of from current_run") else { return nil }
            let runId: Int64 = row["run_id"]
            var segments: [String: Int] = [:]
            let cursor = try Row.fetchCursor(db, sql: "select user_id, segment_id from user_segments where run_id = ?", arguments: [runId])
            while let r = try cursor.next() { segments[r[0]] = r[1] }
            var names: [Int: String] = [:]
            for r in try Row.fetchAll(db, sql: "select segment_id, name from segments where run_id = ? and name is not null", arguments: [runId]) {
                names[r["segment_id"]] = r["name"]
            }
            return PublishedRun(runId: runId, asOf: row["as_of"], segmentOfUser: segments, segmentNames: names)
        }
    }

    /// The smallest segment id never used by any run (0 for a new warehouse), so retired ids are never reused.
    public func firstFreshSegmentId() throws -> Int {
        try pool.read { db in
            let used = try Int.fetchOne(db, sql: """
                select max(m) from (select max(segment_id) as m from segments union all select max(segment_id) from segment_lineage)
                """)
            return (used ?? -1) + 1
        }
    }

    /// Writes the run's rows, marks it `published`, moves the published pointer and sets the
    /// feature views' `as_of` to the run's, all in one transaction: readers of the `current_*` and
    /// feature views see the previous run until the commit and this one after it.
    /// - Parameter beforeCommit: called inside the transaction after every row is written (crash tests).
    ///
    /// Campaigns are evaluated last, inside the same transaction, once the pointer has moved: their
    /// SELECTs see the new run through the `current_*` views; a failing campaign rolls the whole
    /// publish back.
    /// - Returns: one summary per campaign evaluated.
    @discardableResult
    public func publishRun(_ runId: Int64, _ output: RunOutput, campaigns: [CampaignFile] = [],
                           beforeCommit: (() -> Void)? = nil) throws -> [CampaignSummary] {
        // Every row written names this run, which startRun committed.
        try pool.writeWithoutForeignKeyChecks { db in
            try RunRowWriter(db: db, runId: runId).write(output)
            beforeCommit?()
            let nUsers = output.assignments.count
            let nNoise = output.assignments.lazy.filter { $0.segmentId == -1 }.count
            let nSegments = Set(output.assignments.lazy.map(\.segmentId).filter { $0 != -1 }).count
            let warningsJSON = String(decoding: try JSONEncoder().encode(output.warnings), as: UTF8.self)
            let m = output.metrics
            try db.execute(sql: """
                update segmentation_runs
                set status = 'published', parameters = ?, n_users = ?, n_features = ?, n_segments = ?,
                    n_noise = ?, inertia = ?, silhouette = ?, silhouette_sampled = ?, silhouette_note = ?,
                    davies_bouldin = ?, calinski_harabasz = ?, previous_run_id = ?, ari_previous = ?, warnings = ?
                where run_id = ? and status = 'running'
                """, arguments: [output.parametersJSON, nUsers, output.nFeatures, nSegments,
                                 nNoise, m.inertia, m.silhouette, m.silhouetteSampled, m.silhouetteNote,
                                 m.daviesBouldin, m.calinskiHarabasz, output.previousRunId, m.ariPrevious, warningsJSON, runId])
            guard db.changesCount == 1 else { throw WarehouseError.run(message: "run \(runId) is not running; nothing published") }
            try db.execute(sql: """
                insert into published_run (id, run_id, published_at, last_batch_id, last_event_id)
                values (1, ?, ?, coalesce(?, (select max(batch_id) from load_batches)), coalesce(?, (select max(event_id) from events)))
                on conflict (id) do update
                set run_id = excluded.run_id, published_at = excluded.published_at,
                    last_batch_id = excluded.last_batch_id, last_event_id = excluded.last_event_id
                """, arguments: [runId, Timestamps.iso(Date()), output.lastBatchId, output.lastEventId])
            // The views' as_of follows the current run, so features and segments describe the same instant.
            try db.execute(sql: """
                insert into build_context (id, as_of) select 1, as_of from current_run where true
                on conflict (id) do update set as_of = excluded.as_of
                """)
            let summaries = try CampaignRunner.evaluate(in: db, runId: runId, files: campaigns)
            // finished_at, and published_at again, once the campaigns are evaluated: readers first
            // see the run at the commit, right after (at 1M users the campaigns take about a minute).
            let now = Timestamps.iso(Date())
            try db.execute(sql: "update segmentation_runs set finished_at = ? where run_id = ?", arguments: [now, runId])
            try db.execute(sql: "update published_run set published_at = ? where id = 1", arguments: [now])
            return summaries
        }
    }

    /// Marks a run `failed` with the error text; the published run stays as it was.
    public func failRun(_ runId: Int64, error: String) throws {
        try pool.write { db in
            try db.execute(sql: """
                update segmentation_runs set status = 'failed', finished_at = ?, error = ? where run_id = ? and status = 'running'
                """, arguments: [Timestamps.iso(Date()), error, runId])
        }
    }
}
