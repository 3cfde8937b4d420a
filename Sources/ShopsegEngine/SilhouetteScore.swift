/// A mean silhouette coefficient and how it was obtained.
public struct SilhouetteScore: Sendable, Equatable {
    /// Mean silhouette coefficient, in [−1, 1].
    public let value: Double
    /// Number of rows the mean was taken over (n, or `sampleLimit` when sampled).
    public let sampleSize: Int
    /// Whether `value` comes from a random sample of the rows.
    public let isSampled: Bool

    public init(value: Double, sampleSize: Int, isSampled: Bool) {
        self.value = value
        self.sampleSize = sampleSize
        self.isSampled = isSampled
    }
}
