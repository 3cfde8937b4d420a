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
            return try dbscan(x, options: options)
        }
    }

    /// DBSCAN; noise users keep label -1. A cluster's model point is the mean of its users
    /// (distances are measured to it); the core samples are stored too, so new users join the
    /// cluster of the nearest core sample within eps, as DBSCAN would place them.
    private static func dbscan(_ x: Matrix, options: BuildOptions) throws -> ClusteringOutcome {
        let result = try DBSCAN(eps: options.eps, minSamples: options.minSamples).fit(x)
        let means = memberMeans(x, labels: result.labels, clusterCount: result.clusterCount)
        let fit = distances(x, labels: result.labels, to: means)
        var outcome = ClusteringOutcome(
            labels: result.labels, clusterCount: result.clusterCount, distances: fit.distances,
            points: (0..<result.clusterCount).map { ($0, means.row($0)) },
            inertia: result.clusterCount > 0 ? fit.inertia : nil, warnings: result.warnings,
            details: ["n_clusters_found": result.clusterCount, "n_noise": result.noiseCount,
                      "n_core_samples": result.coreSampleIndices.count])
        outcome.corePoints = result.model.componentLabels.indices.map { (result.model.componentLabels[$0], result.model.components.row($0)) }
        outcome.assignWithinEps = options.eps
        return outcome
    }

    /// k × d means of each label's rows (labels -1 left out).
    private static func memberMeans(_ x: Matrix, labels: [Int], clusterCount: Int) -> Matrix {
        let d = x.columns
        var sums = [Double](repeating: 0, count: clusterCount * d), counts = [Double](repeating: 0, count: clusterCount)
        for (i, label) in labels.enumerated() where label >= 0 {
            counts[label] += 1
            for j in 0..<d { sums[label * d + j] += x.values[i * d + j] }
        }
        for c in 0..<clusterCount where counts[c] > 0 {
            for j in 0..<d { sums[c * d + j] /= counts[c] }
        }
        return Matrix(rows: clusterCount, columns: d, values: sums)
    }

    /// Each row's distance to its label's point (nil for -1) and the sum of squares.
    private static func distances(_ x: Matrix, labels: [Int], to points: Matrix) -> (distances: [Double?], inertia: Double) {
        let d = x.columns
        var inertia = 0.0
        let distances: [Double?] = labels.enumerated().map { i, label in
            guard label >= 0 else { return nil }
            var squared = 0.0
            for j in 0..<d {
                let delta = x.values[i * d + j] - points[label, j]
                squared += delta * delta
            }
            inertia += squared
            return squared.squareRoot()
        }
        return (distances, inertia)
    }

    /// Agglomerative clustering; model points are the clusters' centres (member means), so a new
    /// user is assigned to the nearest centre. Inertia is the sum of squared distances to them.
    private static func agglomerative(_ x: Matrix, options: BuildOptions) throws -> ClusteringOutcome {
        let settings = Agglomerative(clusterCount: options.distanceThreshold == nil ? options.k : nil,
                                     distanceThreshold: options.distanceThreshold, linkage: options.linkage, seed: options.seed)
        let result = try settings.fit(x)
        let fit = distances(x, labels: result.labels, to: result.centres)
        var outcome = ClusteringOutcome(
            labels: result.labels, clusterCount: result.clusterCount, distances: fit.distances,
            points: (0..<result.clusterCount).map { ($0, result.centres.row($0)) },
            inertia: fit.inertia, warnings: result.warnings,
            details: ["linkage": options.linkage.rawValue, "n_clusters_found": result.clusterCount,
                      "two_stage": result.isTwoStage, "micro_clusters": result.isTwoStage ? result.microClusterCount : 0])
        outcome.linkage = result.tree.merges.map { ($0.left, $0.right, $0.distance, $0.size) }
        return outcome
    }

    /// k-means or mini-batch k-means with k clusters (scikit-learn defaults when unset).
    private static func fitCentroids(_ x: Matrix, k: Int, options: BuildOptions) throws -> KMeansResult {
        if options.algorithm == .minibatchKMeans {
            return try MiniBatchKMeans(clusterCount: k, batchSize: options.batchSize, maxIter: options.maxIter ?? 100,
                                       nInit: options.nInit ?? 1, tol: options.tol ?? 0, seed: options.seed).fit(x)
        }
        return try KMeans(clusterCount: k, nInit: options.nInit ?? 10, maxIter: options.maxIter ?? 300,
                          tol: options.tol ?? 1e-4, seed: options.seed).fit(x)
    }

    private static func centroidOutcome(_ result: KMeansResult) -> ClusteringOutcome {
        ClusteringOutcome(
            labels: result.labels, clusterCount: result.centroids.rows, distances: result.distances,
            points: (0..<result.centroids.rows).map { ($0, result.centroids.row($0)) },
            inertia: result.inertia, warnings: result.warnings,
            details: ["iterations": result.iterationCount, "converged": result.converged])
    }

    /// `--k auto`: fits the build's algorithm for every k of the range (clipped to n − 1 with a
    /// warning), keeps each k's indices for `k_selection`, and picks k by `KSelection`'s rule
    /// (highest silhouette, ties to the smaller k). Up to `kSweepSample.threshold` users every k
    /// is fitted on every user and the chosen k's fit is used as is; above it every k is fitted
    /// and scored on the same seeded sample of users and the chosen k is fitted again on all.
    private static func sweep(_ x: Matrix, range: ClosedRange<Int>, options: BuildOptions) throws -> ClusteringOutcome {
        guard x.rows > range.lowerBound else {
            throw PipelineError.tooFewUsersForRange(users: x.rows, range: range, view: options.featureView)
        }
        let (swept, sample) = try options.kSweepSample.select(from: x, seed: options.seed)
        var warnings: [String] = []
        let upper = min(range.upperBound, swept.rows - 1)
        if upper < range.upperBound {
            warnings.append("--k auto:\(range.lowerBound)-\(range.upperBound) clipped to \(range.lowerBound)-\(upper): the silhouette needs k <= n_users - 1 = \(swept.rows - 1)")
        }
        let ks = Array(range.lowerBound...upper)
        let results = try ks.map { try fitCentroids(swept, k: $0, options: options) }
        // One silhouette sample (the build's seed) for every k: its distances are computed once.
        let qualities = try ClusterQuality.evaluate(swept, kmeans: results, silhouetteSampleLimit: options.silhouetteSampleLimit,
                                                    seed: options.seed)
        let fits = ks.indices.map { (k: ks[$0], result: results[$0], quality: qualities[$0]) }
        for fit in fits { warnings += fit.result.warnings.map { "k=\(fit.k): \($0)" } }
        // Highest silhouette; exact ties (1e-12) and undefined silhouettes go to the smaller k.
        var chosen = fits[0]
        for fit in fits.dropFirst() {
            if let s = fit.quality.silhouette.value, s > (chosen.quality.silhouette.value ?? -.infinity) + 1e-12 { chosen = fit }
        }
        if fits.allSatisfy({ $0.quality.silhouette.value == nil }) {
            warnings.append("no k in the range has a defined silhouette; k=\(chosen.k) (the smallest) was chosen")
        }
        var published = chosen.result
        if sample != nil {
            published = try fitCentroids(x, k: chosen.k, options: options)
            warnings += published.warnings.map { "k=\(chosen.k) on all users: \($0)" }
        }
        var outcome = centroidOutcome(published)
        outcome.warnings = warnings
        outcome.kSelection = fits.map {
            ($0.k, $0.quality.inertia, $0.quality.silhouette.value, $0.quality.daviesBouldin.value, $0.quality.calinskiHarabasz.value)
        }
        outcome.chosenK = chosen.k
        outcome.kSweepSampleSize = sample?.count
        // The sweep's indices describe the published fit only when it saw every user; otherwise
        // Evaluation scores the refit on all users.
        outcome.quality = sample == nil ? chosen.quality : nil
        outcome.details["k_rule"] = KSelection.rule(sampledRows: sample?.count, of: x.rows)
        outcome.details["k_chosen"] = chosen.k
        if let sample { outcome.details["k_sweep_sample_size"] = sample.count }
        return outcome
    }
}
