import ShopsegEngine

/// Runs the build's clustering algorithm on the model-space matrix.
enum Clustering {
    static func run(_ x: Matrix, options: BuildOptions) throws -> ClusteringOutcome {
        switch options.algorithm {
        case .kmeans, .minibatchKMeans:
            if let range = options.kRange { return try sweep(x, range: range, options: options) }
            return centroidOutcome(try fitCentroids(x, k: options.k, options: options))
        case .agglomerative:
            return try agglomerative(x, options: options)
        case .dbscan:
            throw PipelineError.notBuilt(feature: "--algorithm \(options.algorithm.rawValue)")
        }
    }

    /// Agglomerative clustering; model points are the clusters' centres (member means), so a new
    /// user is assigned to the nearest centre. Inertia is the sum of squared distances to them.
    private static func agglomerative(_ x: Matrix, options: BuildOptions) throws -> ClusteringOutcome {
        let settings = Agglomerative(clusterCount: options.distanceThreshold == nil ? options.k : nil,
                                     distanceThreshold: options.distanceThreshold, linkage: options.linkage, seed: options.seed)
        let result = try settings.fit(x)
        let d = x.columns
        var distances: [Double?] = []
        distances.reserveCapacity(x.rows)
        var inertia = 0.0
        for i in 0..<x.rows {
            var squared = 0.0
            for j in 0..<d {
                let delta = x.values[i * d + j] - result.centres[result.labels[i], j]
                squared += delta * delta
            }
            inertia += squared
            distances.append(squared.squareRoot())
        }
        var outcome = ClusteringOutcome(
            labels: result.labels, clusterCount: result.clusterCount, distances: distances,
            points: (0..<result.clusterCount).map { ($0, result.centres.row($0)) },
            inertia: inertia, warnings: result.warnings,
            details: ["linkage": options.linkage.rawValue, "n_clusters_found": result.clusterCount,
                      "two_stage": result.isTwoStage, "micro_clusters": result.isTwoStage ? result.microClusterCount : 0])
        outcome.linkage = result.tree.merges.map { ($0.left, $0.right, $0.distance, $0.size) }
        return outcome
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
