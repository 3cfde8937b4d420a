import ShopsegWarehouse

/// Reads `user_rfm` at the run's as_of and scores the run's users (``RFMScoring``).
enum RFMStep {
    static let view = "user_rfm"

    /// One score per user of `userIds` (nil for a user `user_rfm` lacks); an empty array with a
    /// warning when the view cannot be read — the segments still publish.
    static func scores(warehouse: Warehouse, asOf: String, userIds: [String], warnings: inout [String]) -> [RFMScoring.Score?] {
        do {
            let table = try warehouse.readFeatures(view: view, asOf: asOf)
            let d = table.columnNames.count
            guard let r = table.columnNames.firstIndex(of: "recency_days"), let f = table.columnNames.firstIndex(of: "frequency"),
                  let m = table.columnNames.firstIndex(of: "monetary_total") else {
                warnings.append("RFM scores not computed: \(view) lacks recency_days, frequency or monetary_total")
                return []
            }
            let row = Dictionary(uniqueKeysWithValues: table.userIds.enumerated().map { ($1, $0) })
            let members = userIds.compactMap { row[$0] }
            let scored = RFMScoring.scores(
                recencyDays: members.map { i in let v = table.values[i * d + r]; return v.isNaN ? nil : v },
                frequency: members.map { table.values[$0 * d + f] },
                monetary: members.map { table.values[$0 * d + m] })
            var byRow: [Int: RFMScoring.Score] = [:]
            for (i, score) in zip(members, scored) { byRow[i] = score }
            return userIds.map { row[$0].flatMap { byRow[$0] } }
        } catch {
            warnings.append("RFM scores not computed: \(error)")
            return []
        }
    }
}
