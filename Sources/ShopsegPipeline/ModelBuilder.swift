import ShopsegEngine
import ShopsegWarehouse

/// Turns the fitted preparation and clustering into the stored model `assign` uses.
enum ModelBuilder {
    static func model(prepared: PreparedFeatures, outcome: ClusteringOutcome, segmentIdOfLabel: [Int]) -> RunModel {
        let columns = prepared.columnNames.indices.map { j in
            RunModel.Column(feature: prepared.columnNames[j], imputeValue: prepared.imputedValues[j], clipLow: nil, clipHigh: nil,
                            transform: prepared.transforms[j].storedName, center: prepared.means[j], scale: prepared.scales[j],
                            pcaMean: nil)
        }
        let points = outcome.points.map { RunModel.Point(segmentId: segmentIdOfLabel[$0.label], vector: $0.vector) }
        return RunModel(columns: columns, points: points,
                        assignRule: outcome.assignWithinEps == nil ? "nearest_point" : "nearest_point_within_eps",
                        eps: outcome.assignWithinEps)
    }
}
