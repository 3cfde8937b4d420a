import ShopsegEngine
import ShopsegWarehouse

/// Quality metrics of a clustering, computed in model space (noise excluded).
enum Evaluation {
    struct Metrics {
        var run: RunMetrics
        var silhouetteSampleSize: Int
        var silhouetteNote: String? { run.silhouetteNote }
        var silhouette: Double? { run.silhouette }
    }

    static func metrics(_ x: Matrix, outcome: ClusteringOutcome, options: BuildOptions) throws -> Metrics {
        let members = outcome.labels.indices.filter { outcome.labels[$0] >= 0 }
        let distinct = Set(members.map { outcome.labels[$0] }).count
        var run = RunMetrics(inertia: outcome.inertia)
        var sampleSize = 0
        if distinct >= 2 && distinct < members.count {
            let subset = members.count == x.rows ? x : x.selectingRows(members)
            let labels = members.map { outcome.labels[$0] }
            let score = try Silhouette.score(subset, labels: labels, sampleLimit: options.silhouetteSampleLimit, seed: options.seed)
            run.silhouette = score.value
            run.silhouetteSampled = score.isSampled
            sampleSize = score.sampleSize
            if score.isSampled { run.silhouetteNote = "computed on a seeded sample of \(score.sampleSize) users" }
        } else {
            run.silhouetteNote = "\(distinct) cluster(s) among \(members.count) clustered users; silhouette needs 2 to n-1"
        }
        return Metrics(run: run, silhouetteSampleSize: sampleSize)
    }
}
