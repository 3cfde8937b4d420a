import ShopsegEngine

/// The space a build clusters in: the prepared columns, or their first principal components
/// with `--reduce pca:…`. A PCA is fitted either way, so every user gets (pc1, pc2) for plotting.
struct ModelSpace {
    /// n × m matrix the algorithm sees.
    let matrix: Matrix
    /// The stored PCA (at least min(2, n, d) components; all kept ones when reducing).
    let pca: PCAResult
    /// Components forming model space; nil = the prepared columns.
    let reducedComponents: Int?
    let pc1: [Double]
    let pc2: [Double]

    init(_ prepared: Matrix, reduce: Reduction) throws {
        let planeCount = max(1, min(2, prepared.rows, prepared.columns))
        switch reduce {
        case .none:
            let plane = try PCA.plane(prepared)
            (matrix, pca, reducedComponents, pc1, pc2) = (prepared, plane.model, nil, plane.pc1, plane.pc2)
            return
        case let .pcaCount(count):
            guard count <= min(prepared.rows, prepared.columns) else {
                throw EngineError.invalidParameter(name: "n_components", value: "\(count)",
                                                   rule: "between 1 and min(n_users, n_features)=\(min(prepared.rows, prepared.columns))")
            }
            reducedComponents = count
        case let .pcaVariance(fraction):
            reducedComponents = try PCA(nComponents: .varianceFraction(fraction)).fit(prepared).components.rows
        }
        let kept = reducedComponents!
        pca = try PCA(nComponents: .count(max(kept, planeCount))).fit(prepared)
        let scores = try pca.transform(prepared)
        let k = scores.columns
        var reduced = [Double](repeating: 0, count: prepared.rows * kept)
        for i in 0..<prepared.rows {
            for j in 0..<kept { reduced[i * kept + j] = scores.values[i * k + j] }
        }
        matrix = Matrix(rows: prepared.rows, columns: kept, values: reduced)
        pc1 = (0..<prepared.rows).map { scores.values[$0 * k] }
        pc2 = k > 1 ? (0..<prepared.rows).map { scores.values[$0 * k + 1] } : [Double](repeating: 0, count: prepared.rows)
    }
}
