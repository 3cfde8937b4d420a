import ShopsegEngine
import ShopsegWarehouse

/// Turns the fitted preparation, PCA and clustering into the stored model `assign` uses.
enum ModelBuilder {
    static func model(prepared: PreparedFeatures, space: ModelSpace, outcome: ClusteringOutcome, segmentIdOfLabel: [Int]) -> RunModel {
        let columns = prepared.model.columns.enumerated().map { j, c in
            RunModel.Column(feature: c.name, imputeValue: c.imputedValue, clipLow: c.clipLow, clipHigh: c.clipHigh,
                            transform: c.transform.storedName, center: c.centre, scale: c.scale, pcaMean: space.pca.mean[j])
        }
        let pca = space.pca
        let loadings = (0..<pca.components.rows).flatMap { component in
            prepared.columnNames.enumerated().map { j, feature in
                RunModel.Loading(component: component + 1, feature: feature, loading: pca.components[component, j])
            }
        }
        let variance = pca.explainedVariance.indices.map {
            RunModel.Variance(component: $0 + 1, explainedVariance: pca.explainedVariance[$0],
                              explainedVarianceRatio: pca.explainedVarianceRatio[$0])
        }
        let points = outcome.points.map { RunModel.Point(segmentId: segmentIdOfLabel[$0.label], role: "centroid", vector: $0.vector) }
            + outcome.corePoints.map { RunModel.Point(segmentId: segmentIdOfLabel[$0.label], role: "core", vector: $0.vector) }
        return RunModel(columns: columns, points: points, loadings: loadings, variance: variance,
                        reducedComponents: space.reducedComponents,
                        assignRule: outcome.assignWithinEps == nil ? "nearest_point" : "nearest_point_within_eps",
                        eps: outcome.assignWithinEps)
    }
}
