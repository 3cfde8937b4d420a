import ShopsegEngine
import ShopsegWarehouse

/// Quality metrics of a clustering, computed in model space with noise excluded
/// (`ClusterQuality`): silhouette (sampled with the build's seed above the sample limit),
/// Davies–Bouldin, Calinski–Harabasz. Undefined values are NULL with the reason.
enum Evaluation {
    struct Metrics {
        var run: RunMetrics
        var silhouetteSampleSize: Int
        var silhouetteNote: String? { run.silhouetteNote }
        var silhouette: Double? { run.silhouette }
    }

    static func metrics(_ x: Matrix, outcome: ClusteringOutcome, options: BuildOptions) throws -> Metrics {
        // A k sweep has already scored the chosen fit (k-means has no noise, so .exclude = .asCluster).
        let quality = try outcome.quality
            ?? ClusterQuality.evaluate(x, labels: outcome.labels, noise: .exclude,
                                       silhouetteSampleLimit: options.silhouetteSampleLimit, seed: options.seed)
        var run = RunMetrics(inertia: outcome.inertia, silhouette: quality.silhouette.value,
                             silhouetteSampled: quality.silhouette.value == nil ? nil : quality.silhouetteIsSampled,
                             silhouetteNote: quality.silhouette.reason,
                             daviesBouldin: quality.daviesBouldin.value, calinskiHarabasz: quality.calinskiHarabasz.value)
        if quality.silhouetteIsSampled, quality.silhouette.value != nil {
            run.silhouetteNote = "computed on a seeded sample of \(quality.silhouetteSampleSize) users"
        }
        return Metrics(run: run, silhouetteSampleSize: quality.silhouetteSampleSize)
    }
}
