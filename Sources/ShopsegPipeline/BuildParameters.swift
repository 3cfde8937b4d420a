import Foundation

/// The run's parameters JSON: every setting a build used, with scikit-learn's names where they exist.
enum BuildParameters {
    static func json(_ options: BuildOptions, extra: [String: Any]) throws -> String {
        var parameters: [String: Any] = [
            "algorithm": options.algorithmName, "seed": options.seed, "feature_view": options.featureView,
            "impute": options.impute.rawValue, "transform": options.transform.rawValue, "scaler": options.scaler.rawValue,
            "reduce": options.reduce.label,
            "keep_runs": options.keepRuns, "max_segment_share": options.maxSegmentShare,
        ]
        switch options.algorithm {
        case .kmeans, .minibatchKMeans:
            let kmeans = options.algorithm == .kmeans
            parameters["init"] = "k-means++"
            parameters["n_clusters"] = options.kRange.map { "auto:\($0.lowerBound)-\($0.upperBound)" as Any } ?? options.k
            parameters["max_iter"] = options.maxIter ?? (kmeans ? 300 : 100)
            parameters["n_init"] = options.nInit ?? (kmeans ? 10 : 1)
            parameters["tol"] = options.tol ?? (kmeans ? 1e-4 : 0)
            if !kmeans { parameters["batch_size"] = options.batchSize }
        case .agglomerative:
            parameters["linkage"] = options.linkage.rawValue
            if let threshold = options.distanceThreshold {
                parameters["distance_threshold"] = threshold
            } else {
                parameters["n_clusters"] = options.k
            }
        case .dbscan:
            parameters["eps"] = options.eps
            parameters["min_samples"] = options.minSamples
        }
        parameters["winsorize"] = options.winsorize.map { [$0.lower, $0.upper] as Any } ?? NSNull()
        parameters["min_users"] = options.minUsers.map { $0 as Any } ?? NSNull()
        parameters["max_reject_rate"] = options.maxRejectRate.map { $0 as Any } ?? NSNull()
        parameters.merge(extra) { $1 }
        let data = try JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
