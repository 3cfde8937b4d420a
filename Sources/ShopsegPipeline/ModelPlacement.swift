import ShopsegWarehouse
import ShopsegEngine

/// Places raw feature rows into a published run's segments with its stored model, without
/// reclustering: impute → clip → transform → scale (model_columns), → PCA scores when the run
/// reduced with PCA, → nearest model point (centroid, core point or centre). With DBSCAN's rule a
/// row farther than eps from every core point is noise (-1), as a new point would be for DBSCAN.
struct ModelPlacement {
    struct Placement {
        let segmentId: Int
        let distance: Double?
        let pc1, pc2: Double?
    }

    private let model: RunModel
    /// For each model column, its index in the feature table's columns.
    private let sourceIndex: [Int]
    private let transforms: [ColumnTransform]
    /// components × model columns, from pca_components.
    private let loadings: [[Double]]
    private let centroids: [RunModel.Point]
    private let corePoints: [RunModel.Point]

    /// - Throws: ``PipelineError/modelMismatch(message:)`` when the view lacks a model column or the model is malformed.
    init(model: RunModel, tableColumns: [String]) throws {
        self.model = model
        sourceIndex = try model.columns.map { column in
            guard let index = tableColumns.firstIndex(of: column.feature) else {
                throw PipelineError.modelMismatch(message: "the feature view has no column \(column.feature), which the published run clustered on")
            }
            return index
        }
        transforms = try model.columns.map {
            guard let transform = ColumnTransform(storedName: $0.transform) else {
                throw PipelineError.modelMismatch(message: "unknown transform '\($0.transform)' for \($0.feature)")
            }
            return transform
        }
        let componentCount = model.loadings.map(\.component).max() ?? 0
        var loadings = [[Double]](repeating: [Double](repeating: 0, count: model.columns.count), count: componentCount)
        let position = Dictionary(uniqueKeysWithValues: model.columns.enumerated().map { ($1.feature, $0) })
        for l in model.loadings {
            guard let j = position[l.feature] else { throw PipelineError.modelMismatch(message: "PCA loading for unknown feature \(l.feature)") }
            loadings[l.component - 1][j] = l.loading
        }
        self.loadings = loadings
        centroids = model.points.filter { $0.role == "centroid" }
        corePoints = model.points.filter { $0.role == "core" }
        let dimension = model.reducedComponents ?? model.columns.count
        guard model.points.allSatisfy({ $0.vector.count == dimension }), model.points.contains(where: { $0.role == "centroid" }) || model.assignRule == "nearest_point_within_eps" else {
            throw PipelineError.modelMismatch(message: "model points do not have \(dimension) coordinates")
        }
    }

    /// - Parameter raw: one row of the feature table (NaN = missing).
    func place(_ raw: ArraySlice<Double>) -> Placement {
        let base = raw.startIndex
        var prepared = [Double](repeating: 0, count: model.columns.count)
        for (j, column) in model.columns.enumerated() {
            var v = raw[base + sourceIndex[j]]
            if v.isNaN { v = column.imputeValue }
            if let low = column.clipLow { v = max(v, low) }
            if let high = column.clipHigh { v = min(v, high) }
            prepared[j] = (transforms[j].apply(v) - column.center) / column.scale
        }
        let scores = loadings.map { row in
            zip(row, zip(prepared, model.columns)).reduce(0.0) { $0 + $1.0 * ($1.1.0 - ($1.1.1.pcaMean ?? 0)) }
        }
        let point = model.reducedComponents.map { Array(scores.prefix($0)) } ?? prepared
        let pc1 = scores.count > 0 ? scores[0] : nil
        let pc2 = scores.count > 1 ? scores[1] : nil
        if model.assignRule == "nearest_point_within_eps" {
            // DBSCAN: the segment of the nearest core sample within eps, else noise.
            guard let core = nearest(point, among: corePoints), let eps = model.eps, core.distance <= eps else {
                return Placement(segmentId: -1, distance: nil, pc1: pc1, pc2: pc2)
            }
            let segment = corePoints[core.index].segmentId
            let centroid = centroids.first { $0.segmentId == segment }
            return Placement(segmentId: segment, distance: centroid.map { Self.distance(point, $0.vector) }, pc1: pc1, pc2: pc2)
        }
        let best = nearest(point, among: centroids)!
        return Placement(segmentId: centroids[best.index].segmentId, distance: best.distance, pc1: pc1, pc2: pc2)
    }


    /// The nearest of `points` (first on ties), or nil when there is none.
    private func nearest(_ x: [Double], among points: [RunModel.Point]) -> (index: Int, distance: Double)? {
        var best: (index: Int, distance: Double)?
        for (p, candidate) in points.enumerated() {
            let d = Self.distance(x, candidate.vector)
            if best == nil || d < best!.distance { best = (p, d) }
        }
        return best
    }

    private static func distance(_ a: [Double], _ b: [Double]) -> Double {
        var squared = 0.0
        for (x, y) in zip(a, b) { squared += (x - y) * (x - y) }
        return squared.squareRoot()
    }
}
