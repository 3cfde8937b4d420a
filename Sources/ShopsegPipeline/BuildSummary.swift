/// What a published build produced, for the command's table and `--json`.
public struct BuildSummary: Sendable, Codable, Equatable {
    public struct Segment: Sendable, Codable, Equatable {
        /// Stable segment id; -1 = noise.
        public let segmentId: Int
        public let size: Int
        public let share: Double
        /// kept | new (relative to the previous published run) | noise.
        public let lineage: String
        /// The segment's name (`segments.name`).
        public let name: String?
        /// Feature-view column → the segment's mean, raw units (every column of the view).
        public let means: [String: Double]
    }
    public let runId: Int64
    /// Always `published`: a build that does not publish throws instead.
    public var status = "published"
    public let asOf: String
    public let featureView: String
    public let algorithm: String
    public let nUsers: Int
    /// Segments found, noise excluded.
    public let nSegments: Int
    /// The k chosen by `--k auto`; nil otherwise.
    public let chosenK: Int?
    /// Users every k of that sweep was fitted and scored on when it sampled them (more users
    /// than `BuildOptions.kSweepSample.threshold`); nil when it used every user, or without a sweep.
    public var kSweepSampleSize: Int?
    public let featuresUsed: [String]
    /// With `--reduce`: principal components clustered, and the share of variance they explain (0–1).
    public let principalComponents: Int?
    public let explainedVarianceRatio: Double?
    public let inertia: Double?
    public let silhouette: Double?
    public let silhouetteSampled: Bool
    public let daviesBouldin: Double?
    public let calinskiHarabasz: Double?
    public var warnings: [String]
    public let segments: [Segment]
    /// The published run whose segment ids were carried over; nil for a first run.
    public let previousRunId: Int64?
    /// Segment ids of the previous run no cluster matched.
    public let vanishedSegments: [Int]
    /// Users present in both runs, and how many of them kept their segment id.
    public let returningUsers: Int
    public let usersKeepingSegment: Int
    /// One line per campaign evaluated at publish (queries/campaigns/).
    public struct Campaign: Sendable, Codable, Equatable {
        public let campaignId: String
        public let channel: String
        /// Users the campaign's SELECT returned; treated + holdout were assigned.
        public let audience, treated, holdout: Int
    }
    public var campaigns: [Campaign] = []
    /// Older runs deleted by --keep-runs.
    public var prunedRuns: [Int64] = []
    public var durationSeconds: Double = 0
}
