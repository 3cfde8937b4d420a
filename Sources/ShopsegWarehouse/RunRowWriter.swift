import Foundation
import GRDB

/// Writes a run's rows inside the publishing transaction, one prepared statement per table.
struct RunRowWriter {
    let db: Database
    let runId: Int64

    func write(_ output: RunOutput) throws {
        try writeAssignments(output.assignments)
        try writeSegments(output.assignments)
        try insert("segment_profiles (run_id, segment_id, feature, mean, median, stddev, min, max, population_mean, z_score, lift)",
                   output.profiles) {
            [$0.segmentId, $0.feature, $0.mean, $0.median, $0.stddev, $0.min, $0.max, $0.populationMean, $0.zScore, $0.lift]
        }
        for label in output.labels {
            try db.execute(sql: "update segments set name = ?, description = ? where run_id = ? and segment_id = ?",
                           arguments: [label.name, label.description, runId, label.segmentId])
        }
        try writeRFMScores(output.rfmScores)
        if let retention = output.retention { try writeRetention(retention) }
        try insert("segment_lineage (run_id, segment_id, previous_run_id, status, shared_users)", output.lineage) {
            [$0.segmentId, output.previousRunId, $0.status, $0.sharedUsers]
        }
        if let previous = output.previousRunId {
            let statement = try db.makeStatement(sql: """
                insert into segment_transitions (from_run_id, to_run_id, from_segment_id, to_segment_id, users) values (?, ?, ?, ?, ?)
                """)
            for t in output.transitions { try statement.execute(arguments: [previous, runId, t.fromSegmentId, t.toSegmentId, t.users]) }
        }
        try writeModel(output.model)
        try insert("k_selection (run_id, k, inertia, silhouette, davies_bouldin, calinski_harabasz, is_chosen)", output.kSelection) {
            [$0.k, $0.inertia, $0.silhouette, $0.daviesBouldin, $0.calinskiHarabasz, $0.isChosen]
        }
        try insert("segment_linkage (run_id, step, \"left\", \"right\", distance, size)", Array(output.linkage.enumerated())) {
            [$0.offset, $0.element.left, $0.element.right, $0.element.distance, $0.element.size]
        }
    }

    // The per-user tables (n rows each) are bound with sqlite3 calls, many rows per statement (``RawInsert``).

    private func writeAssignments(_ assignments: [SegmentAssignment]) throws {
        try RawInsert.insertRows(db: db, into: "user_segments (run_id, user_id, segment_id, distance_to_centroid, pc1, pc2, assignment)",
                                 columns: 7, count: assignments.count) { insert, p, i in
            let a = assignments[i]
            insert.bind(p, runId); insert.bind(p + 1, a.userId); insert.bind(p + 2, a.segmentId)
            insert.bind(p + 3, a.distanceToCentroid); insert.bind(p + 4, a.pc1); insert.bind(p + 5, a.pc2)
            insert.bind(p + 6, "clustered")
        }
    }

    private func writeRFMScores(_ scores: [RFMScoreRow]) throws {
        try RawInsert.insertRows(db: db, into: "user_rfm_scores (run_id, user_id, r_score, f_score, m_score, rfm_cell, rfm_segment)",
                                 columns: 7, count: scores.count) { insert, p, i in
            let s = scores[i]
            insert.bind(p, runId); insert.bind(p + 1, s.userId); insert.bind(p + 2, s.r); insert.bind(p + 3, s.f)
            insert.bind(p + 4, s.m); insert.bind(p + 5, s.cell); insert.bind(p + 6, s.segment)
        }
    }

    private func writeSegments(_ assignments: [SegmentAssignment]) throws {
        var sizes: [Int: Int] = [:]
        for a in assignments { sizes[a.segmentId, default: 0] += 1 }
        let n = Double(assignments.count)
        try insert("segments (run_id, segment_id, size, share)", sizes.sorted { $0.key < $1.key }) {
            [$0.key, $0.value, Double($0.value) / n]
        }
    }

    private func writeModel(_ model: RunModel) throws {
        try db.execute(sql: "insert into model_settings (run_id, pca_components, assign_rule, eps) values (?, ?, ?, ?)",
                       arguments: [runId, model.reducedComponents, model.assignRule, model.eps])
        try insert("model_columns (run_id, position, feature, impute_value, clip_low, clip_high, transform, center, scale, pca_mean)",
                   Array(model.columns.enumerated())) {
            let c = $0.element
            return [$0.offset, c.feature, c.imputeValue, c.clipLow, c.clipHigh, c.transform, c.center, c.scale, c.pcaMean]
        }
        try insert("model_points (run_id, point_id, segment_id, role, vector)", Array(model.points.enumerated())) {
            [$0.offset, $0.element.segmentId, $0.element.role, Self.json($0.element.vector)]
        }
        try insert("pca_components (run_id, component, feature, loading)", model.loadings) {
            [$0.component, $0.feature, $0.loading]
        }
        try insert("pca_variance (run_id, component, explained_variance, explained_variance_ratio)", model.variance) {
            [$0.component, $0.explainedVariance, $0.explainedVarianceRatio]
        }
    }

    private func writeRetention(_ retention: RetentionOutput) throws {
        try insert("retention_model (run_id, model, parameter, value, time_unit, calibration_end, log_likelihood, customers)",
                   retention.parameters) {
            [$0.model, $0.parameter, $0.value, retention.timeUnit, retention.calibrationEnd, $0.logLikelihood, $0.customers]
        }
        try RawInsert.insertRows(db: db, into: """
            user_retention (run_id, user_id, frequency, recency, T, p_alive, expected_purchases_30d, expected_purchases_90d,
                            expected_avg_order_value, clv, churn_risk)
            """, columns: 11, count: retention.users.count) { insert, p, i in
            let u = retention.users[i]
            insert.bind(p, runId); insert.bind(p + 1, u.userId); insert.bind(p + 2, u.frequency); insert.bind(p + 3, u.recency)
            insert.bind(p + 4, u.age); insert.bind(p + 5, u.pAlive); insert.bind(p + 6, u.expected30d); insert.bind(p + 7, u.expected90d)
            insert.bind(p + 8, u.expectedOrderValue); insert.bind(p + 9, u.clv); insert.bind(p + 10, u.churnRisk)
        }
    }

    /// Inserts one row per element into `table (run_id, columns…)`; `values` gives the columns after run_id.
    private func insert<T>(_ tableAndColumns: String, _ rows: [T], values: (T) -> [DatabaseValueConvertible?]) throws {
        guard let first = rows.first else { return }
        let placeholders = Array(repeating: "?", count: values(first).count + 1).joined(separator: ", ")
        let statement = try db.makeStatement(sql: "insert into \(tableAndColumns) values (\(placeholders))")
        for row in rows {
            try statement.execute(arguments: StatementArguments([runId] + values(row)))
        }
    }

    /// A vector as a JSON array with shortest round-trip numbers.
    static func json(_ vector: [Double]) -> String {
        "[" + vector.map { "\($0)" }.joined(separator: ",") + "]"
    }
}
