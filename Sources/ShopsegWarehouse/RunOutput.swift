/// One user's place in a run.
public struct SegmentAssignment: Sendable, Equatable {
    public let userId: String
    /// Stable segment id; -1 = noise.
    public let segmentId: Int
    /// Euclidean distance to the segment's model point (centroid, nearest core point or centre), model space; nil for noise.
    public let distanceToCentroid: Double?
    /// First two principal component scores, for plotting.
    public let pc1: Double?
    public let pc2: Double?
    public init(userId: String, segmentId: Int, distanceToCentroid: Double?, pc1: Double? = nil, pc2: Double? = nil) {
        self.userId = userId
        self.segmentId = segmentId
        self.distanceToCentroid = distanceToCentroid
        self.pc1 = pc1
        self.pc2 = pc2
    }
}

/// One `segment_profiles` row: a feature's statistics within a segment, in raw units, and the
/// segment against the whole population.
public struct SegmentProfileRow: Sendable, Equatable {
    public let segmentId: Int
    public let feature: String
    public let mean, median, stddev, min, max: Double?
    public var populationMean, zScore, lift: Double?
    public init(segmentId: Int, feature: String, mean: Double?, median: Double?, stddev: Double?, min: Double?, max: Double?,
                populationMean: Double? = nil, zScore: Double? = nil, lift: Double? = nil) {
        self.segmentId = segmentId
        self.feature = feature
        self.mean = mean
        self.median = median
        self.stddev = stddev
        self.min = min
        self.max = max
        self.populationMean = populationMean
        self.zScore = zScore
        self.lift = lift
    }
}

/// One `segments` row's words: a short unique name and a one-line description.
public struct SegmentLabel: Sendable, Equatable {
    public let segmentId: Int
    public let name: String
    public let description: String
    public init(segmentId: Int, name: String, description: String) {
        self.segmentId = segmentId
        self.name = name
        self.description = description
    }
}

/// One `user_rfm_scores` row.
public struct RFMScoreRow: Sendable, Equatable {
    public let userId: String
    public let r, f, m: Int
    public let cell, segment: String
    public init(userId: String, r: Int, f: Int, m: Int, cell: String, segment: String) {
        self.userId = userId
        self.r = r
        self.f = f
        self.m = m
        self.cell = cell
        self.segment = segment
    }
}

/// Quality metrics stored on the run (NULL when undefined, with the reason in `silhouetteNote`).
public struct RunMetrics: Sendable, Equatable {
    public var inertia: Double?
    public var silhouette: Double?
    public var silhouetteSampled: Bool?
    public var silhouetteNote: String?
    public var daviesBouldin: Double?
    public var calinskiHarabasz: Double?
    /// Adjusted Rand index between this run's and the previous run's segments, on the users in both.
    public var ariPrevious: Double?
    public init(inertia: Double? = nil, silhouette: Double? = nil, silhouetteSampled: Bool? = nil, silhouetteNote: String? = nil,
                daviesBouldin: Double? = nil, calinskiHarabasz: Double? = nil) {
        self.inertia = inertia
        self.silhouette = silhouette
        self.silhouetteSampled = silhouetteSampled
        self.silhouetteNote = silhouetteNote
        self.daviesBouldin = daviesBouldin
        self.calinskiHarabasz = calinskiHarabasz
    }
}

/// How a segment relates to the previous published run (`segment_lineage`).
public struct SegmentLineageRow: Sendable, Equatable {
    public let segmentId: Int
    /// kept | new | vanished
    public let status: String
    public let sharedUsers: Int
    public init(segmentId: Int, status: String, sharedUsers: Int) {
        self.segmentId = segmentId
        self.status = status
        self.sharedUsers = sharedUsers
    }
}

/// Users who were in `from` (previous run) and are in `to` (this run); nil = absent from that run.
public struct SegmentTransitionRow: Sendable, Equatable {
    public let fromSegmentId: Int?
    public let toSegmentId: Int?
    public let users: Int
    public init(fromSegmentId: Int?, toSegmentId: Int?, users: Int) {
        self.fromSegmentId = fromSegmentId
        self.toSegmentId = toSegmentId
        self.users = users
    }
}

/// One `k_selection` row.
public struct KSelectionRow: Sendable, Equatable {
    public let k: Int
    public let inertia: Double
    public let silhouette, daviesBouldin, calinskiHarabasz: Double?
    public let isChosen: Bool
    public init(k: Int, inertia: Double, silhouette: Double?, daviesBouldin: Double?, calinskiHarabasz: Double?, isChosen: Bool) {
        self.k = k
        self.inertia = inertia
        self.silhouette = silhouette
        self.daviesBouldin = daviesBouldin
        self.calinskiHarabasz = calinskiHarabasz
        self.isChosen = isChosen
    }
}

/// One `segment_linkage` row (scipy linkage convention).
public struct LinkageRow: Sendable, Equatable {
    public let left, right: Int
    public let distance: Double
    public let size: Int
    public init(left: Int, right: Int, distance: Double, size: Int) {
        self.left = left
        self.right = right
        self.distance = distance
        self.size = size
    }
}

/// Everything a finished clustering writes under its run_id, in the publishing transaction.
public struct RunOutput: Sendable {
    public var parametersJSON: String
    public var nFeatures: Int
    public var metrics: RunMetrics
    public var warnings: [String]
    public var assignments: [SegmentAssignment]
    public var profiles: [SegmentProfileRow]
    public var model: RunModel
    /// The published run the segment ids were matched to (nil for a first run).
    public var previousRunId: Int64?
    public var lineage: [SegmentLineageRow] = []
    public var transitions: [SegmentTransitionRow] = []
    public var kSelection: [KSelectionRow] = []
    public var linkage: [LinkageRow] = []
    /// The newest event row the features were read from; `assign` places users with later events.
    public var lastEventId: Int64?
    /// The newest load batch in the same snapshot; the reject-rate gate counts batches after it.
    public var lastBatchId: Int64?
    public var labels: [SegmentLabel] = []
    public var rfmScores: [RFMScoreRow] = []
    public var retention: RetentionOutput?

    public init(parametersJSON: String, nFeatures: Int, metrics: RunMetrics, warnings: [String],
                assignments: [SegmentAssignment], profiles: [SegmentProfileRow], model: RunModel) {
        self.parametersJSON = parametersJSON
        self.nFeatures = nFeatures
        self.metrics = metrics
        self.warnings = warnings
        self.assignments = assignments
        self.profiles = profiles
        self.model = model
    }
}
