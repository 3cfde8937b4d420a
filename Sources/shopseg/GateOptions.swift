import ArgumentParser
import ShopsegPipeline

/// `build`'s retention and quality-gate options.
struct GateOptions: ParsableArguments {
    @Option(name: .customLong("keep-runs"), parsing: .unconditional, help: "Published runs to keep (newest first); older runs of any status are deleted after a publish.")
    var keepRuns = 14

    @Option(name: .customLong("min-users"), parsing: .unconditional, help: "Quality gate: publish only with at least this many users.")
    var minUsers: Int?

    @Option(name: .customLong("max-reject-rate"), help: ArgumentHelp("Quality gate: highest share of rows rejected by the loads since the published run, as 0.05 or 5%.", valueName: "rate"))
    var maxRejectRate: String?

    @Option(name: .customLong("max-segment-share"), help: ArgumentHelp("Quality gate: highest share of users one segment may hold, as 0.95 or 95%; 1 turns it off.", valueName: "share"))
    var maxSegmentShare = "0.95"

    func validate() throws {
        guard keepRuns >= 1 else { throw ValidationError("--keep-runs \(keepRuns): pass 1 or more.") }
        if let minUsers, minUsers < 1 { throw ValidationError("--min-users \(minUsers): pass 1 or more.") }
        if let maxRejectRate, Fraction.parse(maxRejectRate) == nil {
            throw ValidationError("--max-reject-rate \(maxRejectRate): pass a share between 0 and 1 (0.05) or a percentage (5%).")
        }
        if Fraction.parse(maxSegmentShare) == nil {
            throw ValidationError("--max-segment-share \(maxSegmentShare): pass a share between 0 and 1 (0.95) or a percentage (95%).")
        }
    }

    func apply(to options: inout BuildOptions) {
        options.keepRuns = keepRuns
        options.minUsers = minUsers
        options.maxRejectRate = maxRejectRate.flatMap(Fraction.parse)
        options.maxSegmentShare = Fraction.parse(maxSegmentShare) ?? 0.95
    }
}
