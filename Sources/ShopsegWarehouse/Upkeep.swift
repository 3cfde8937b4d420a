import Foundation
import GRDB

/// Retention and maintenance: pruning old runs, ANALYZE and VACUUM.
extension Warehouse {
    /// Every table keyed by a run, with its run column; rows of pruned runs are deleted from each.
    static let runKeyedTables: [(table: String, column: String)] = [
        ("user_segments", "run_id"), ("segments", "run_id"), ("segment_profiles", "run_id"),
        ("segment_lineage", "run_id"), ("segment_transitions", "to_run_id"), ("model_settings", "run_id"),
        ("model_columns", "run_id"), ("model_points", "run_id"), ("pca_components", "run_id"),
        ("pca_variance", "run_id"), ("k_selection", "run_id"), ("segment_linkage", "run_id"),
        ("user_rfm_scores", "run_id"), ("retention_model", "run_id"), ("user_retention", "run_id"),
        ("campaign_assignments", "run_id"), ("campaigns", "run_id"),
    ]

    /// Keeps the newest `keep` published runs (the current one always among them) and every run
    /// newer than the oldest of them — failed and abandoned ones too, for diagnosis; deletes
    /// every older run and its rows, in one transaction. Nothing is deleted while fewer than
    /// `keep` runs have been published.
    /// - Returns: the run ids deleted.
    @discardableResult
    public func pruneRuns(keep: Int) throws -> [Int64] {
        try pool.write { db in
            let kept = try Int64.fetchAll(db, sql: """
                select run_id from segmentation_runs where status = 'published' order by run_id desc limit ?
                """, arguments: [max(keep, 1)])
            // Until `keep` runs have been published there is nothing to prune.
            guard kept.count >= max(keep, 1), let oldestKept = kept.last else { return [] }
            let doomed = try Int64.fetchAll(db, sql: """
                select run_id from segmentation_runs
                where run_id < ? and status != 'running' and run_id not in (select run_id from published_run)
                order by run_id
                """, arguments: [oldestKept])
            guard !doomed.isEmpty else { return [] }
            let list = doomed.map(String.init).joined(separator: ",")
            for (table, column) in Self.runKeyedTables {
                try db.execute(sql: "delete from \(table) where \(column) in (\(list))")
            }
            try db.execute(sql: "delete from segmentation_runs where run_id in (\(list))")
            return doomed
        }
    }

    /// Rows read and rejected by the loads since the published run (all loads before the first publish).
    public func loadsSincePublish() throws -> (read: Int, rejected: Int) {
        try pool.read { db in
            let row = try Row.fetchOne(db, sql: """
                select coalesce(sum(rows_read), 0) as r, coalesce(sum(rows_rejected), 0) as j from load_batches
                where batch_id > coalesce((select last_batch_id from published_run), 0)
                """)
            return (row?["r"] ?? 0, row?["j"] ?? 0)
        }
    }

    /// Refreshes the query planner's statistics (ANALYZE) and, with `vacuum`, rewrites the file
    /// without free pages (VACUUM; needs free disk space about the file's size, and blocks writers
    /// while it runs — readers keep reading in WAL mode).
    /// - Returns: the file size in bytes before and after.
    public func analyze(vacuum: Bool) throws -> (before: Int64, after: Int64) {
        let before = fileSize()
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "analyze")
            if vacuum { try db.execute(sql: "vacuum") }
            try db.checkpoint(.truncate)
        }
        return (before, fileSize())
    }

    private func fileSize() -> Int64 {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.int64Value ?? 0
    }
}
