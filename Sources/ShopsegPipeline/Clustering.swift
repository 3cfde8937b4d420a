import ShopsegEngine

/// Runs the build's clustering algorithm on the model-space matrix.
enum Clustering {
    static func run(_ x: Matrix, options: BuildOptions) throws -> ClusteringOutcome {
        switch options.algorithm {
        case .kmeans, .minibatchKMeans:
            if let range = options.kRange { return try sweep(x, range: range, options: options) }
            return centroidOutcome(try fitCentroids(x, k: options.k, options: options))
        case .dbscan, .agglomerative:
            throw PipelineError.notBuilt(feature: "--algorithm \(options.algorithm.rawValue)")
        }
    }

    /// k-means or mini-batch k-means with k clusters.
    private static func fitCentroids(_ x: Matrix, k: Int, options: BuildOptions) throws -> KMeansResult {
        if options.algorithm == .minibatchKMeans {
            return try MiniBatchKMeans(clusterCount: k, batchSize: options.batchSize, maxIter: options.maxIter ?? 100,
                                       seed: options.seed).fit(x)
        }
        return try KMeans(clusterCount: k, nInit: options.nInit, maxIter: options.maxIter ?? 300, tol: options.tol,
                          seed: options.seed).fit(x)
    }

    private static func centroidOutcome(_ result: KMeansResult) -> ClusteringOutcome {
        ClusteringOutcome(
            labels: result.labels, clusterCount: result.centroids.rows, distances: result.distances,
            points: (0..<result.centroids.rows).map { ($0, result.centroids.row($0)) },
            inertia: result.inertia, warnings: result.warnings,
            details: ["iterations": result.iterationCount, "converged": result.converged])
    }

    /// `--k auto`: the k-means sweep (KSelection), keeping every k's indices for `k_selection`.
    private static func sweep(_ x: Matrix, range: ClosedRange<Int>, options: BuildOptions) throws -> ClusteringOutcome {
        let lower = range.lowerBound, upper = min(range.upperBound, max(lower, x.rows - 1))
        guard x.rows > lower else { throw PipelineError.tooFewUsers(users: x.rows, k: lower + 1, view: options.featureView) }
        let selection = KSelection(kRange: lower...upper, nInit: options.nInit, maxIter: options.maxIter ?? 300,
                                   tol: options.tol, seed: options.seed, silhouetteSampleLimit: options.silhouetteSampleLimit)
        let result = try selection.fit(x)
        let chosen = options.algorithm == .minibatchKMeans ? try fitCentroids(x, k: result.chosenK, options: options) : result.chosen
        var outcome = centroidOutcome(chosen)
        outcome.warnings += result.warnings
        outcome.kSelection = result.candidates.map {
            ($0.k, $0.quality.inertia, $0.quality.silhouette.value, $0.quality.daviesBouldin.value, $0.quality.calinskiHarabasz.value)
        }
        outcome.chosenK = result.chosenK
        outcome.details["k_rule"] = KSelection.rule
        outcome.details["k_chosen"] = result.chosenK
        return outcome
    }
}
