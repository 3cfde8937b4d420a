import ArgumentParser
import ShopsegEngine
import ShopsegPipeline

/// `build`'s clustering options. An option that does not apply to the chosen algorithm is a
/// usage error rather than silently ignored.
struct AlgorithmOptions: ParsableArguments {
    @Option(help: ArgumentHelp("Clustering algorithm: kmeans, minibatch-kmeans, dbscan or agglomerative.", valueName: "name"))
    var algorithm: ClusteringAlgorithm = .kmeans

    @Option(parsing: .unconditional, help: ArgumentHelp("Number of segments (n_clusters), 1 or more; or auto (2-10) or auto:LO-HI (HI <= 50) to choose k by the highest silhouette (kmeans, minibatch-kmeans). Default: auto:4-10 (kmeans, minibatch-kmeans), 5 (agglomerative). Not for dbscan.", valueName: "k"))
    var k: String?

    @Option(name: .customLong("n-init"), parsing: .unconditional, help: "k-means / mini-batch seedings; the lowest inertia wins (default 10 / 1).")
    var nInit: Int?

    @Option(name: .customLong("max-iter"), parsing: .unconditional, help: "Iterations per seeding at most (default: kmeans 300, minibatch-kmeans 100 passes).")
    var maxIter: Int?

    @Option(parsing: .unconditional, help: "Convergence tolerance relative to the mean feature variance (default: kmeans 1e-4, minibatch-kmeans 0 = off).")
    var tol: Double?

    @Option(name: .customLong("batch-size"), parsing: .unconditional, help: "minibatch-kmeans: rows per batch (default 1024).")
    var batchSize: Int?

    @Option(help: ArgumentHelp("agglomerative: ward (default), complete, average or single linkage.", valueName: "name"))
    var linkage: Agglomerative.Linkage?

    @Option(name: .customLong("distance-threshold"), parsing: .unconditional,
            help: ArgumentHelp("agglomerative: cut the tree at this merge distance (model-space units) instead of --k.", valueName: "d"))
    var distanceThreshold: Double?

    @Option(parsing: .unconditional, help: "dbscan: neighbourhood radius in model-space units (default 0.5).")
    var eps: Double?

    @Option(name: .customLong("min-samples"), parsing: .unconditional, help: "dbscan: neighbours, the point itself included, that make a core point (default 5).")
    var minSamples: Int?

    func validate() throws {
        let name = algorithm.rawValue
        func refuse(_ option: String, _ given: Any?, unless allowed: [ClusteringAlgorithm]) throws {
            if given != nil, !allowed.contains(algorithm) {
                throw ValidationError("\(option) does not apply to --algorithm \(name); it is for \(allowed.map(\.rawValue).joined(separator: ", ")).")
            }
        }
        try refuse("--k", k, unless: [.kmeans, .minibatchKMeans, .agglomerative])
        try refuse("--n-init", nInit, unless: [.kmeans, .minibatchKMeans])
        try refuse("--max-iter", maxIter, unless: [.kmeans, .minibatchKMeans])
        try refuse("--tol", tol, unless: [.kmeans, .minibatchKMeans])
        try refuse("--batch-size", batchSize, unless: [.minibatchKMeans])
        try refuse("--linkage", linkage, unless: [.agglomerative])
        try refuse("--distance-threshold", distanceThreshold, unless: [.agglomerative])
        try refuse("--eps", eps, unless: [.dbscan])
        try refuse("--min-samples", minSamples, unless: [.dbscan])
        if let k {
            guard let choice = BuildOptions.parseK(k) else {
                throw ValidationError("--k \(k): pass a number of segments of 1 or more, auto, or auto:LO-HI with 2 <= LO <= HI <= 50.")
            }
            if choice.range != nil, algorithm == .agglomerative {
                throw ValidationError("--k \(k): choosing k works with --algorithm kmeans or minibatch-kmeans; pass a number or --distance-threshold.")
            }
            if distanceThreshold != nil {
                throw ValidationError("pass either --k or --distance-threshold, not both (scikit-learn: exactly one of n_clusters, distance_threshold).")
            }
        }
        if let distanceThreshold, !(distanceThreshold.isFinite && distanceThreshold >= 0) {
            throw ValidationError("--distance-threshold \(distanceThreshold): pass a finite distance >= 0.")
        }
        if let eps, !(eps.isFinite && eps > 0) { throw ValidationError("--eps \(eps): pass a radius > 0.") }
        if let minSamples, minSamples < 1 { throw ValidationError("--min-samples \(minSamples): pass 1 or more.") }
        if let nInit, nInit < 1 { throw ValidationError("--n-init \(nInit): pass 1 or more.") }
        if let maxIter, maxIter < 1 { throw ValidationError("--max-iter \(maxIter): pass 1 or more iterations.") }
        if let tol, !(tol.isFinite && tol >= 0) { throw ValidationError("--tol \(tol): pass a finite number >= 0.") }
        if let batchSize, batchSize < 1 { throw ValidationError("--batch-size \(batchSize): pass 1 or more rows.") }
    }

    func apply(to options: inout BuildOptions) {
        options.algorithm = algorithm
        if let choice = k.flatMap(BuildOptions.parseK) {
            options.k = choice.k ?? 0
            options.kRange = choice.range
        } else if algorithm == .kmeans || algorithm == .minibatchKMeans {
            options.k = 0
            options.kRange = BuildOptions.defaultKRange
        } else {
            options.k = 5
            options.kRange = nil
        }
        options.nInit = nInit
        options.maxIter = maxIter
        options.tol = tol
        options.batchSize = batchSize ?? options.batchSize
        options.linkage = linkage ?? options.linkage
        options.distanceThreshold = distanceThreshold
        options.eps = eps ?? options.eps
        options.minSamples = minSamples ?? options.minSamples
    }
}

extension ClusteringAlgorithm: ExpressibleByArgument {}
extension Agglomerative.Linkage: ExpressibleByArgument {}
