import Foundation
import ShopsegEngine
import ShopsegWarehouse

/// Fits the retention models on the run's as_of and scores every customer with a purchase:
/// BG/NBD (Fader, Hardie & Lee 2005) on `retention_summary` (weeks; repeat purchases per
/// distinct day), Gamma–Gamma (Fader & Hardie 2013) on customers with a repeat purchase of
/// positive mean value, then P(alive), expected purchases in the next 30 and 90 days, expected
/// average order value, CLV (12 months, 1% monthly discount) and a churn-risk bucket.
enum RetentionStep {
    static let view = "retention_summary"
    static let clv = CustomerLifetimeValue(horizonMonths: 12, monthlyDiscountRate: 0.01, timeUnitsPerMonth: 4.345)

    /// The models and scores, or nil, and the warnings to append to the run's.
    struct Outcome: Sendable {
        var output: RetentionOutput?
        var warnings: [String] = []
    }

    /// Reads `retention_summary` at `asOf` and scores it. It needs nothing from the clustering, so
    /// a build starts it on its own thread before reading the features (``start(warehouse:asOf:)``).
    /// - Returns: a nil output with a warning when the models cannot be fitted (no purchases, too
    ///   few repeat customers, no convergence): segments still publish.
    static func run(warehouse: Warehouse, asOf: String) -> Outcome {
        var outcome = Outcome()
        do {
            let table = try warehouse.readFeatures(view: view, asOf: asOf)
            outcome.output = try score(table, calibrationEnd: String(asOf.prefix(10)), warnings: &outcome.warnings)
        } catch {
            outcome.warnings.append("retention models not fitted: \(error)")
        }
        return outcome
    }

    /// ``run(warehouse:asOf:)`` on its own thread and connection: at 1M users it reads and fits
    /// (≈ 14 s) while the features are read on the other core.
    static func start(warehouse: Warehouse, asOf: String) -> BackgroundValue<Outcome> {
        BackgroundValue(name: "shopseg-retention") { run(warehouse: warehouse, asOf: asOf) }
    }

    /// Parameters outside this range mean the likelihood kept rising towards the edge of the
    /// parameter space (too few repeat purchases to tell): the values are published, as lifetimes
    /// does, with a warning that P(alive) and churn risk carry little information.
    static let plausibleParameters = 1e-4...1e4

    /// Customers per chunk of the parallel scoring.
    static let scoringChunkSize = 4_096

    static func score(_ table: FeatureTable, calibrationEnd: String, warnings: inout [String]) throws -> RetentionOutput {
        let d = table.columnNames.count
        func column(_ name: String) throws -> [Double] {
            guard let j = table.columnNames.firstIndex(of: name) else {
                throw PipelineError.modelMismatch(message: "\(view) has no column \(name)")
            }
            return table.userIds.indices.map { table.values[$0 * d + j] }
        }
        let frequency = try column("frequency").map { Int($0) }
        let recency = try column("recency_weeks"), age = try column("t_weeks"), meanValue = try column("mean_repeat_value")
        let purchases = try BGNBD().fit(frequency: frequency, recency: recency, age: age)
        let spenders = frequency.indices.filter { frequency[$0] >= 1 && meanValue[$0] > 0 }
        let spend = try GammaGamma().fit(frequency: spenders.map { frequency[$0] }, meanValue: spenders.map { meanValue[$0] })
        warnings += spend.warnings.map { "Gamma–Gamma: \($0)" }
        for (model, name, value) in [("BG/NBD", "r", purchases.r), ("BG/NBD", "alpha", purchases.alpha), ("BG/NBD", "a", purchases.a),
                                     ("BG/NBD", "b", purchases.b), ("Gamma–Gamma", "p", spend.p), ("Gamma–Gamma", "q", spend.q),
                                     ("Gamma–Gamma", "gamma", spend.gamma)] where !plausibleParameters.contains(value) {
            warnings.append("\(model) \(name) = \(value): the fit is at the edge of the parameter space (too few repeat purchases to tell); its predictions carry little information")
        }
        let weeks30 = 30.0 / 7, weeks90 = 90.0 / 7
        // Each customer's scores depend only on their own summary: fixed chunks of customers in
        // parallel, concatenated in order (the same rows, and the first error in customer order).
        let chunks = ChunkedParallel.map(count: table.userIds.count, chunkSize: Self.scoringChunkSize,
                                         workers: ChunkedParallel.defaultWorkerCount) { _, rows in
            Result { try rows.map { i -> RetentionOutput.User in
                let x = frequency[i], mx = meanValue[i].isNaN || meanValue[i] <= 0 ? 0 : meanValue[i]
                let pAlive = purchases.pAlive(frequency: x, recency: recency[i], age: age[i])
                // With q ≤ 1 the population mean spend p·γ/(q−1) is undefined: no value for those customers.
                let rawOrderValue = try spend.expectedAverageValue(frequency: x, meanValue: mx)
                let orderValue: Double? = rawOrderValue.isFinite ? rawOrderValue : nil
                return RetentionOutput.User(
                    userId: table.userIds[i], frequency: x, recency: recency[i], age: age[i], pAlive: pAlive,
                    expected30d: try purchases.expectedPurchases(t: weeks30, frequency: x, recency: recency[i], age: age[i]),
                    expected90d: try purchases.expectedPurchases(t: weeks90, frequency: x, recency: recency[i], age: age[i]),
                    expectedOrderValue: orderValue,
                    clv: orderValue == nil ? nil : try clv.value(purchases: purchases, spend: spend, frequency: x, recency: recency[i],
                                                                 age: age[i], meanValue: mx),
                    churnRisk: ChurnRisk(pAlive: pAlive, frequency: x).rawValue)
            } }
        }
        let users = try chunks.flatMap { try $0.get() }
        let undefinedValue = users.reduce(0) { $0 + ($1.expectedOrderValue == nil ? 1 : 0) }
        if undefinedValue > 0 {
            warnings.append("Gamma–Gamma q = \(spend.q) <= 1: expected order value and CLV are NULL for \(undefinedValue) customer(s) (the population mean spend is undefined)")
        }
        let parameters: [RetentionOutput.Parameter] =
            [("r", purchases.r), ("alpha", purchases.alpha), ("a", purchases.a), ("b", purchases.b)].map {
                .init(model: "bg_nbd", parameter: $0.0, value: $0.1, logLikelihood: purchases.logLikelihood, customers: purchases.customerCount)
            } + [("p", spend.p), ("q", spend.q), ("gamma", spend.gamma)].map {
                .init(model: "gamma_gamma", parameter: $0.0, value: $0.1, logLikelihood: spend.logLikelihood, customers: spend.customerCount)
            }
        return RetentionOutput(timeUnit: "week", calibrationEnd: calibrationEnd, parameters: parameters, users: users)
    }
}
