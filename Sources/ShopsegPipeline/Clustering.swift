import ShopsegEngine

/// Runs the build's clustering algorithm on the model-space matrix.
enum Clustering {
    static func run(_ x: Matrix, options: BuildOptions) throws -> ClusteringOutcome {
        let kmeans = KMeans(clusterCount: options.k, nInit: options.nInit, maxIter: options.maxIter,
                            tol: options.tol, seed: options.seed)
        let result = try kmeans.fit(x)
        return ClusteringOutcome(
            labels: result.labels, clusterCount: options.k, distances: result.distances,
            points: (0..<options.k).map { ($0, result.centroids.row($0)) },
            inertia: result.inertia, warnings: result.warnings,
            details: ["iterations": result.iterationCount, "converged": result.converged])
    }
}
