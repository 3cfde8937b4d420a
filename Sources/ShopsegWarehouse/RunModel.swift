/// What `assign` needs to place a new user in a run's segments without reclustering:
/// raw feature row → prepared row (model_columns) → optional PCA → nearest model point.
public struct RunModel: Sendable, Equatable {
    /// One kept feature column (`model_columns`).
    public struct Column: Sendable, Equatable {
        public let feature: String
        /// Replaces a missing value (raw units).
        public let imputeValue: Double
        /// Winsorising bounds (raw units); nil = none.
        public let clipLow, clipHigh: Double?
        /// none | log1p | signed_log1p
        public let transform: String
        public let center, scale: Double
        /// PCA centring (prepared units) when the model space is PCA scores.
        public let pcaMean: Double?
        public init(feature: String, imputeValue: Double, clipLow: Double?, clipHigh: Double?, transform: String,
                    center: Double, scale: Double, pcaMean: Double?) {
            self.feature = feature
            self.imputeValue = imputeValue
            self.clipLow = clipLow
            self.clipHigh = clipHigh
            self.transform = transform
            self.center = center
            self.scale = scale
            self.pcaMean = pcaMean
        }
    }
    /// A point defining a segment in model space (`model_points`).
    public struct Point: Sendable, Equatable {
        public let segmentId: Int
        /// centroid (distances are measured to it) or core (a DBSCAN core sample).
        public let role: String
        public let vector: [Double]
        public init(segmentId: Int, role: String = "centroid", vector: [Double]) {
            self.segmentId = segmentId
            self.role = role
            self.vector = vector
        }
    }
    /// One PCA loading (`pca_components`), component 1-based.
    public struct Loading: Sendable, Equatable {
        public let component: Int
        public let feature: String
        public let loading: Double
        public init(component: Int, feature: String, loading: Double) {
            self.component = component
            self.feature = feature
            self.loading = loading
        }
    }
    /// One `pca_variance` row, component 1-based.
    public struct Variance: Sendable, Equatable {
        public let component: Int
        public let explainedVariance, explainedVarianceRatio: Double
        public init(component: Int, explainedVariance: Double, explainedVarianceRatio: Double) {
            self.component = component
            self.explainedVariance = explainedVariance
            self.explainedVarianceRatio = explainedVarianceRatio
        }
    }

    public var columns: [Column]
    public var points: [Point]
    /// PCA loadings of every fitted component (also used for pc1/pc2).
    public var loadings: [Loading]
    public var variance: [Variance]
    /// Number of PCA components forming the model space; nil = the prepared columns themselves.
    public var reducedComponents: Int?
    /// nearest_point (nearest centroid), or nearest_point_within_eps for DBSCAN (nearest core
    /// sample within eps; farther users are noise).
    public var assignRule: String
    /// DBSCAN's eps (model space) for `nearest_point_within_eps`.
    public var eps: Double?

    public init(columns: [Column], points: [Point], loadings: [Loading] = [], variance: [Variance] = [],
                reducedComponents: Int? = nil, assignRule: String = "nearest_point", eps: Double? = nil) {
        self.columns = columns
        self.points = points
        self.loadings = loadings
        self.variance = variance
        self.reducedComponents = reducedComponents
        self.assignRule = assignRule
        self.eps = eps
    }
}
