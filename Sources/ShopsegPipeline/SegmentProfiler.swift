import ShopsegEngine
import ShopsegWarehouse

/// Per-segment statistics of every feature-view column, in the view's raw units, and the
/// segment against the population (all users of the run).
///
/// Missing values (SQL NULL) are left out of each statistic; `stddev` is the sample standard
/// deviation (n − 1, as pandas), null for fewer than two values. Against the population:
/// `populationMean`; `zScore` = (segment mean − population mean) / population standard
/// deviation (n − 1), null when that deviation is 0; `lift` = segment mean / population mean,
/// null when the population mean is 0. Empty segments get no rows.
enum SegmentProfiler {
    /// - Parameter segmentIds: each user's segment id (-1 = noise, profiled like any segment).
    static func profiles(of table: FeatureTable, segmentIds: [Int]) -> [SegmentProfileRow] {
        let d = table.columnNames.count
        var members: [Int: [Int]] = [:]
        for (user, segment) in segmentIds.enumerated() { members[segment, default: []].append(user) }
        let segments = members.keys.sorted()
        // Columns are independent: one per worker (each sorts n values per segment and for the
        // population; 1M users × 11 columns ≈ 1.3 s on one core).
        let byColumn = ChunkedParallel.map(count: d, chunkSize: 1, workers: ChunkedParallel.defaultWorkerCount) { column, _ in
            let name = table.columnNames[column]
            let overall = summary((0..<segmentIds.count).map { table.values[$0 * d + column] }.filter { !$0.isNaN }.sorted(),
                                  segmentId: 0, feature: "")
            return segments.map { segment in
                let values = members[segment]!.map { table.values[$0 * d + column] }.filter { !$0.isNaN }.sorted()
                var row = summary(values, segmentId: segment, feature: name)
                row.populationMean = overall.mean
                if let mean = row.mean, let populationMean = overall.mean {
                    if let sd = overall.stddev, sd > 0 { row.zScore = (mean - populationMean) / sd }
                    if populationMean != 0 { row.lift = mean / populationMean }
                }
                return row
            }
        }
        return segments.indices.flatMap { s in (0..<d).map { byColumn[$0][s] } }
    }

    private static func summary(_ sorted: [Double], segmentId: Int, feature: String) -> SegmentProfileRow {
        guard !sorted.isEmpty else {
            return SegmentProfileRow(segmentId: segmentId, feature: feature, mean: nil, median: nil, stddev: nil, min: nil, max: nil)
        }
        let n = Double(sorted.count)
        let mean = sorted.reduce(0, +) / n
        let middle = sorted.count / 2
        let median = sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
        let stddev: Double? = sorted.count < 2 ? nil
            : (sorted.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / (n - 1)).squareRoot()
        return SegmentProfileRow(segmentId: segmentId, feature: feature, mean: mean, median: median, stddev: stddev,
                                 min: sorted.first, max: sorted.last)
    }
}
