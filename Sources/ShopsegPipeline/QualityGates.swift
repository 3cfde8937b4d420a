import ShopsegIngest
import ShopsegWarehouse

/// The build's quality gates: the data gates run right after the features are read (no
/// clustering is wasted on data that cannot publish), the shape gate after clustering.
enum QualityGates {
    /// `--min-users` and `--max-reject-rate`.
    /// - Throws: ``PipelineError/qualityGate(gate:message:)`` for the first gate that fails.
    static func checkData(options: BuildOptions, users n: Int, loadsSincePublish: (read: Int, rejected: Int)) throws {
        if let minUsers = options.minUsers, n < minUsers {
            throw PipelineError.qualityGate(gate: "--min-users", message: "\(n) users, fewer than \(minUsers)")
        }
        if let limit = options.maxRejectRate, loadsSincePublish.read > 0 {
            let rate = Double(loadsSincePublish.rejected) / Double(loadsSincePublish.read)
            if rate > limit {
                throw PipelineError.qualityGate(gate: "--max-reject-rate", message:
                    "\(NumberText.grouped(loadsSincePublish.rejected)) of \(NumberText.grouped(loadsSincePublish.read)) rows "
                    + "read by the loads since the published run were rejected "
                    + String(format: "(%.2f%%), above %.2f%%", rate * 100, limit * 100))
            }
        }
    }

    /// `--max-segment-share` (not applied with k = 1).
    static func checkClustering(options: BuildOptions, labels: [Int]) throws {
        let n = labels.count
        if options.k != 1, options.maxSegmentShare < 1, n > 0 {
            var sizes: [Int: Int] = [:]
            for label in labels { sizes[label, default: 0] += 1 }
            if let (label, size) = sizes.max(by: { $0.value < $1.value }), Double(size) / Double(n) > options.maxSegmentShare {
                let which = label == -1 ? "noise" : "one segment"
                throw PipelineError.qualityGate(gate: "--max-segment-share", message: "\(which) holds \(size) of \(n) users ("
                    + String(format: "%.1f%%), above %.1f%%", Double(size) / Double(n) * 100, options.maxSegmentShare * 100)
                    + " — a degenerate clustering")
            }
        }
    }
}
