/// Input checks shared by the retention models. Messages name arrays and indices,
/// never customer values.
enum RetentionInput {
    /// Checks the BG/NBD per-customer summary: equal lengths, at least one
    /// customer, frequency ≥ 0, 0 ≤ recency ≤ age, all finite.
    static func checkSummary(model: String, frequency: [Int], recency: [Double], age: [Double]) throws {
        guard frequency.count == recency.count, frequency.count == age.count else {
            throw EngineError.inconsistentCustomerArrays(
                model: model, names: ["frequency", "recency", "age"],
                counts: [frequency.count, recency.count, age.count])
        }
        guard !frequency.isEmpty else { throw EngineError.noCustomers(model: model) }
        for i in frequency.indices {
            try checkCustomer(frequency: frequency[i], recency: recency[i], age: age[i], index: i)
        }
    }

    /// One customer's (x, t_x, T); `index` is used in messages (0 for single-customer calls).
    static func checkCustomer(frequency x: Int, recency tx: Double, age T: Double, index: Int) throws {
        if x < 0 { throw EngineError.invalidCustomerValue(name: "frequency", index: index, rule: ">= 0") }
        if !tx.isFinite || tx < 0 {
            throw EngineError.invalidCustomerValue(name: "recency", index: index, rule: "finite and >= 0")
        }
        if !T.isFinite || T < tx {
            throw EngineError.invalidCustomerValue(name: "age", index: index, rule: "finite and >= recency")
        }
    }
}
