import Foundation
import ShopsegEngine
import ShopsegWarehouse

/// The tool's version, recorded on every run.
public let shopsegVersion = "0.1.0"

/// What a published build produced, for the command's table and `--json`.
public struct BuildSummary: Sendable, Codable, Equatable {
    public struct Segment: Sendable, Codable, Equatable {
        public let segmentId: Int
        public let size: Int
        public let share: Double
        /// Feature → mean in raw units, for the columns shown in the summary table.
        public let means: [String: Double]
    }
    public let runId: Int64
    public let asOf: String
    public let featureView: String
    public let nUsers: Int
    public let featuresUsed: [String]
    public let inertia: Double
    public let silhouette: Double?
    public let silhouetteSampled: Bool
    public let warnings: [String]
    public let segments: [Segment]
    public let durationSeconds: Double
}

/// Stages of a build, reported to the caller as they start.
public enum BuildStage: String, Sendable {
    case readingFeatures = "reading features"
    case preparing = "preparing matrix"
    case clustering = "clustering"
    case evaluating = "evaluating"
    case writing = "writing results"
}

/// A build: features → engine → profiles → publish. Orchestration only.
public struct Build {
    public let warehouse: Warehouse
    public let options: BuildOptions

    public init(warehouse: Warehouse, options: BuildOptions) {
        self.warehouse = warehouse
        self.options = options
    }

    /// Runs the build. The run is recorded as `running`, then `published` in one final
    /// transaction, or `failed` with the error text (the previous published run stays current).
    ///
    /// - Throws: `WarehouseError` (no events, none before as_of, unusable feature view),
    ///   ``PipelineError`` (fewer users than k), `EngineError` (no usable column, non-finite values),
    ///   `DatabaseError`.
    public func run(progress: ((BuildStage) -> Void)? = nil) throws -> BuildSummary {
        let started = Date()
        let schemaWarnings = try warehouse.prepareSchema().differingViewWarnings(sql: warehouse.sql)
        guard let asOf = try options.asOf ?? warehouse.latestEventTime() else { throw WarehouseError.noEvents }
        let runId = try warehouse.startRun(asOf: asOf, featureView: options.featureView, algorithm: "kmeans",
                                           parametersJSON: try parametersJSON(extra: [:]), toolVersion: shopsegVersion)
        do {
            return try cluster(runId: runId, asOf: asOf, started: started, schemaWarnings: schemaWarnings, progress: progress)
        } catch {
            try? warehouse.failRun(runId, error: String(describing: error))
            throw error
        }
    }

    private func cluster(runId: Int64, asOf: String, started: Date, schemaWarnings: [String], progress: ((BuildStage) -> Void)?) throws -> BuildSummary {
        progress?(.readingFeatures)
        let table = try warehouse.readFeatures(view: options.featureView, asOf: asOf)
        let n = table.userIds.count
        guard n >= options.k else { throw PipelineError.tooFewUsers(users: n, k: options.k, view: options.featureView) }

        progress?(.preparing)
        let raw = Matrix(rows: n, columns: table.columnNames.count, values: table.values)
        let prepared = try FeaturePreparation().fit(raw, columnNames: table.columnNames)

        progress?(.clustering)
        let kmeans = KMeans(clusterCount: options.k, nInit: options.nInit, maxIter: options.maxIter,
                            tol: options.tol, seed: options.seed)
        let result = try kmeans.fit(prepared.matrix).canonicallyOrdered()

        progress?(.evaluating)
        let segmentCount = options.k
        let distinctLabels = Set(result.labels).count
        let silhouette: SilhouetteScore? = distinctLabels >= 2 && distinctLabels < n
            ? try Silhouette.score(prepared.matrix, labels: result.labels, sampleLimit: options.silhouetteSampleLimit, seed: options.seed)
            : nil
        var warnings = schemaWarnings + prepared.warnings + result.warnings
        if silhouette == nil { warnings.append("silhouette undefined: \(distinctLabels) distinct segment(s) for \(n) users") }
        let profiles = SegmentProfiler.profiles(of: table, labels: result.labels, segmentCount: segmentCount)

        progress?(.writing)
        let transforms = Dictionary(uniqueKeysWithValues: zip(prepared.columnNames, prepared.transforms.map(\.rawValue)))
        let parameters = try parametersJSON(extra: [
            "features_used": prepared.columnNames,
            "transforms": transforms,
            "silhouette_sample_size": silhouette?.sampleSize ?? 0,
            "silhouette_sampled": silhouette?.isSampled ?? false,
            "iterations": result.iterationCount,
        ])
        let assignments = zip(table.userIds, zip(result.labels, result.distances)).map {
            SegmentAssignment(userId: $0.0, segmentId: $0.1.0, distanceToCentroid: $0.1.1)
        }
        try warehouse.publishRun(runId, RunOutput(
            parametersJSON: parameters, nFeatures: prepared.columnNames.count, nSegments: distinctLabels,
            inertia: result.inertia, silhouette: silhouette?.value, warnings: warnings,
            assignments: assignments, profiles: profiles))

        let shown = Self.summaryColumns(prepared.columnNames)
        let segments = (0..<segmentCount).compactMap { segment -> BuildSummary.Segment? in
            let size = result.labels.lazy.filter { $0 == segment }.count
            guard size > 0 else { return nil }
            var means: [String: Double] = [:]
            for row in profiles where row.segmentId == segment && shown.contains(row.feature) { means[row.feature] = row.mean }
            return BuildSummary.Segment(segmentId: segment, size: size, share: Double(size) / Double(n), means: means)
        }
        return BuildSummary(runId: runId, asOf: asOf, featureView: options.featureView, nUsers: n,
                            featuresUsed: prepared.columnNames, inertia: result.inertia, silhouette: silhouette?.value,
                            silhouetteSampled: silhouette?.isSampled ?? false, warnings: warnings, segments: segments,
                            durationSeconds: Date().timeIntervalSince(started))
    }

    /// The columns the summary table shows, among those clustered: RFM first when present, then the others in view order; four at most.
    public static func summaryColumns(_ columns: [String]) -> [String] {
        let preferred = ["recency_days", "frequency", "monetary_total", "views"].filter(columns.contains)
        return Array((preferred + columns.filter { !preferred.contains($0) }).prefix(4))
    }

    private func parametersJSON(extra: [String: Any]) throws -> String {
        var parameters: [String: Any] = [
            "algorithm": "kmeans", "init": "k-means++", "n_clusters": options.k, "n_init": options.nInit,
            "max_iter": options.maxIter, "tol": options.tol, "seed": options.seed, "feature_view": options.featureView,
            "impute": "median", "transform": "auto-log1p", "scaler": "standard",
        ]
        parameters.merge(extra) { $1 }
        let data = try JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
