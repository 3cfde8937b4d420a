import Foundation
import GRDB

/// One user's place in a run.
public struct SegmentAssignment: Sendable, Equatable {
    public let userId: String
    public let segmentId: Int
    /// Euclidean distance to the segment's centroid, in the scaled feature space.
    public let distanceToCentroid: Double
    public init(userId: String, segmentId: Int, distanceToCentroid: Double) {
        self.userId = userId
        self.segmentId = segmentId
        self.distanceToCentroid = distanceToCentroid
    }
}

/// One `segment_profiles` row: a feature's statistics within a segment, in raw units.
public struct SegmentProfileRow: Sendable, Equatable {
    public let segmentId: Int
    public let feature: String
    public let mean, median, stddev, min, max: Double?
    public init(segmentId: Int, feature: String, mean: Double?, median: Double?, stddev: Double?, min: Double?, max: Double?) {
        self.segmentId = segmentId
        self.feature = feature
        self.mean = mean
        self.median = median
        self.stddev = stddev
        self.min = min
        self.max = max
    }
}

/// Everything a finished clustering writes under its run_id.
public struct RunOutput: Sendable {
    public var parametersJSON: String
    public var nFeatures: Int
    public var nSegments: Int
    public var inertia: Double?
    public var silhouette: Double?
    public var warnings: [String]
    public var assignments: [SegmentAssignment]
    public var profiles: [SegmentProfileRow]
    public init(parametersJSON: String, nFeatures: Int, nSegments: Int, inertia: Double?, silhouette: Double?,
                warnings: [String], assignments: [SegmentAssignment], profiles: [SegmentProfileRow]) {
        self.parametersJSON = parametersJSON
        self.nFeatures = nFeatures
        self.nSegments = nSegments
        self.inertia = inertia
        self.silhouette = silhouette
        self.warnings = warnings
        self.assignments = assignments
        self.profiles = profiles
    }
}

extension Warehouse {
    /// The latest event time (UTC ISO-8601), or nil when no events are loaded.
    public func latestEventTime() throws -> String? {
        try pool.read { try String.fetchOne($0, sql: "select max(occurred_at) from events") }
    }

    /// Records a new run as `running`. Nothing else changes until ``publishRun(_:_:)``.
    /// - Returns: the new run_id.
    public func startRun(asOf: String, featureView: String, algorithm: String, parametersJSON: String,
                         toolVersion: String) throws -> Int64 {
        try pool.write { db in
            try db.execute(sql: """
                insert into segmentation_runs (status, started_at, as_of, feature_view, algorithm, parameters, tool_version)
                values ('running', ?, ?, ?, ?, ?, ?)
                """, arguments: [Timestamps.iso(Date()), asOf, featureView, algorithm, parametersJSON, toolVersion])
            return db.lastInsertedRowID
        }
    }

    /// Writes the run's rows, marks it `published` and sets the feature views' `as_of` to the
    /// current (latest published) run's, all in one transaction: readers of the `current_*` and feature views see the
    /// previous run until the commit and this one after it.
    public func publishRun(_ runId: Int64, _ output: RunOutput) throws {
        try pool.write { db in
            let nUsers = output.assignments.count
            let assign = try db.makeStatement(sql: """
                insert into user_segments (run_id, user_id, segment_id, distance_to_centroid) values (?, ?, ?, ?)
                """)
            var sizes: [Int: Int] = [:]
            for a in output.assignments {
                try assign.execute(arguments: [runId, a.userId, a.segmentId, a.distanceToCentroid])
                sizes[a.segmentId, default: 0] += 1
            }
            let segment = try db.makeStatement(sql: "insert into segments (run_id, segment_id, size, share) values (?, ?, ?, ?)")
            for (segmentId, size) in sizes.sorted(by: { $0.key < $1.key }) {
                try segment.execute(arguments: [runId, segmentId, size, Double(size) / Double(nUsers)])
            }
            let profile = try db.makeStatement(sql: """
                insert into segment_profiles (run_id, segment_id, feature, mean, median, stddev, min, max)
                values (?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for p in output.profiles {
                try profile.execute(arguments: [runId, p.segmentId, p.feature, p.mean, p.median, p.stddev, p.min, p.max])
            }
            let warningsJSON = String(decoding: try JSONEncoder().encode(output.warnings), as: UTF8.self)
            try db.execute(sql: """
                update segmentation_runs
                set status = 'published', finished_at = ?, parameters = ?, n_users = ?, n_features = ?, n_segments = ?,
                    inertia = ?, silhouette = ?, warnings = ?
                where run_id = ? and status = 'running'
                """, arguments: [Timestamps.iso(Date()), output.parametersJSON, nUsers, output.nFeatures, output.nSegments,
                                 output.inertia, output.silhouette, warningsJSON, runId])
            guard db.changesCount == 1 else { throw WarehouseError.run(message: "run \(runId) is not running; nothing published") }
            // The views' as_of follows the current run (the latest published), so features and
            // segments always describe the same instant — even when two builds overlap.
            try db.execute(sql: """
                insert into build_context (id, as_of) select 1, as_of from current_run where true
                on conflict (id) do update set as_of = excluded.as_of
                """)
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
