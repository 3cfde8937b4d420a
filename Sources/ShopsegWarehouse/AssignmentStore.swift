import Foundation
import GRDB

/// The published run as `assign` sees it.
public struct AssignTarget: Sendable, Equatable {
    public let runId: Int64
    public let asOf: String
    public let featureView: String
    /// Events with a larger event_id arrived after the run read its features.
    public let lastEventId: Int64
}

extension Warehouse {
    /// The current published run, or nil before the first publish.
    public func assignTarget() throws -> AssignTarget? {
        try pool.read { db in
            try Row.fetchOne(db, sql: """
                select r.run_id, r.as_of, r.feature_view, coalesce(p.last_event_id, 0) as last_event_id
                from published_run as p join segmentation_runs as r on r.run_id = p.run_id
                """).map { AssignTarget(runId: $0["run_id"], asOf: $0["as_of"], featureView: $0["feature_view"], lastEventId: $0["last_event_id"]) }
        }
    }

    /// Users with events loaded after `eventId` (new users and users who did something since), sorted.
    public func usersWithEvents(after eventId: Int64) throws -> [String] {
        try pool.read { db in
            try String.fetchAll(db, sql: "select distinct user_id from events where event_id > ? order by user_id", arguments: [eventId])
        }
    }

    /// The stored model of `runId` (what `build` wrote into model_settings, model_columns, model_points, pca_*).
    /// - Throws: ``WarehouseError/run(message:)`` when the run has no stored model.
    public func readModel(runId: Int64) throws -> RunModel {
        try pool.read { db in
            guard let settings = try Row.fetchOne(db, sql: "select * from model_settings where run_id = ?", arguments: [runId]) else {
                throw WarehouseError.run(message: "run \(runId) has no stored model; rebuild with this version of shopseg")
            }
            let columns = try Row.fetchAll(db, sql: "select * from model_columns where run_id = ? order by position", arguments: [runId]).map {
                RunModel.Column(feature: $0["feature"], imputeValue: $0["impute_value"], clipLow: $0["clip_low"], clipHigh: $0["clip_high"],
                                transform: $0["transform"], center: $0["center"], scale: $0["scale"], pcaMean: $0["pca_mean"])
            }
            let points = try Row.fetchAll(db, sql: "select segment_id, role, vector from model_points where run_id = ? order by point_id", arguments: [runId]).map {
                RunModel.Point(segmentId: $0["segment_id"], role: $0["role"], vector: try Self.vector($0["vector"], runId: runId))
            }
            let loadings = try Row.fetchAll(db, sql: "select component, feature, loading from pca_components where run_id = ? order by component", arguments: [runId]).map {
                RunModel.Loading(component: $0["component"], feature: $0["feature"], loading: $0["loading"])
            }
            let variance = try Row.fetchAll(db, sql: "select * from pca_variance where run_id = ? order by component", arguments: [runId]).map {
                RunModel.Variance(component: $0["component"], explainedVariance: $0["explained_variance"],
                                  explainedVarianceRatio: $0["explained_variance_ratio"])
            }
            return RunModel(columns: columns, points: points, loadings: loadings, variance: variance,
                            reducedComponents: settings["pca_components"], assignRule: settings["assign_rule"], eps: settings["eps"])
        }
    }

    /// Writes users placed by `assign` into `runId`'s user_segments (replacing their previous row),
    /// marked `assigned` with the time, in one transaction.
    /// - Returns: how many of them were not in the run before.
    @discardableResult
    public func writeAssigned(runId: Int64, _ rows: [SegmentAssignment]) throws -> Int {
        try pool.write { db in
            let before = try Int.fetchOne(db, sql: "select count(*) from user_segments where run_id = ?", arguments: [runId]) ?? 0
            let statement = try db.makeStatement(sql: """
                insert into user_segments (run_id, user_id, segment_id, distance_to_centroid, pc1, pc2, assignment, assigned_at)
                values (?, ?, ?, ?, ?, ?, 'assigned', ?)
                on conflict (run_id, user_id) do update set segment_id = excluded.segment_id,
                    distance_to_centroid = excluded.distance_to_centroid, pc1 = excluded.pc1, pc2 = excluded.pc2,
                    assignment = 'assigned', assigned_at = excluded.assigned_at
                """)
            let now = Timestamps.iso(Date())
            for r in rows {
                try statement.execute(arguments: [runId, r.userId, r.segmentId, r.distanceToCentroid, r.pc1, r.pc2, now])
            }
            let after = try Int.fetchOne(db, sql: "select count(*) from user_segments where run_id = ?", arguments: [runId]) ?? 0
            return after - before
        }
    }

    private static func vector(_ text: String, runId: Int64) throws -> [Double] {
        guard let values = try? JSONDecoder().decode([Double].self, from: Data(text.utf8)) else {
            throw WarehouseError.run(message: "run \(runId): model_points.vector is not a JSON array of numbers")
        }
        return values
    }
}
