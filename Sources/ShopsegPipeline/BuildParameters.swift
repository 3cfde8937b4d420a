import Foundation

/// The run's parameters JSON: every setting a build used, with scikit-learn's names where they exist.
enum BuildParameters {
    static func json(_ options: BuildOptions, extra: [String: Any]) throws -> String {
        var parameters: [String: Any] = [
            "algorithm": options.algorithmName, "init": "k-means++", "n_clusters": options.k, "n_init": options.nInit,
            "max_iter": options.maxIter, "tol": options.tol, "seed": options.seed, "feature_view": options.featureView,
            "impute": "median", "transform": "auto-log1p", "scaler": "standard",
            "keep_runs": options.keepRuns, "max_segment_share": options.maxSegmentShare,
        ]
        if let minUsers = options.minUsers { parameters["min_users"] = minUsers }
        if let rate = options.maxRejectRate { parameters["max_reject_rate"] = rate }
        parameters.merge(extra) { $1 }
        let data = try JSONSerialization.data(withJSONObject: parameters, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }
}
