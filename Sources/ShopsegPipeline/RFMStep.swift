import ShopsegWarehouse

/// Reads `user_rfm` at the run's as_of and scores the run's users (``RFMScoring``).
enum RFMStep {
    static let view = "user_rfm"
    /// The bundled feature view: it selects `user_rfm`'s recency_days, frequency and
    /// monetary_total unchanged for each of its rows (an inner join on user_rfm).
    static let passThroughView = "user_features"

    /// One score per user of `userIds` (nil for a user `user_rfm` lacks); an empty array with a
    /// warning when the view cannot be read — the segments still publish.
    ///
    /// When the run's features come from the bundled `user_features` (checked against the
    /// installed SQL), its rows already hold `user_rfm`'s three columns for every run user, so
    /// they are scored from `features` instead of aggregating the events again: the same values.
    static func scores(warehouse: Warehouse, asOf: String, features: FeatureTable, userIds: [String],
                       warnings: inout [String]) -> [RFMScoring.Score?] {
        do {
            let passesThrough = features.view == passThroughView && (try? warehouse.viewIsBundled(passThroughView)) == true
            let table = passesThrough ? features : try warehouse.readFeatures(view: view, asOf: asOf)
            return scores(table, userIds: userIds, warnings: &warnings)
        } catch {
            warnings.append("RFM scores not computed: \(error)")
            return []
        }
    }

    /// Scores the rows of `table` (recency_days, frequency, monetary_total) that `userIds` lists.
    static func scores(_ table: FeatureTable, userIds: [String], warnings: inout [String]) -> [RFMScoring.Score?] {
        let d = table.columnNames.count
        guard let r = table.columnNames.firstIndex(of: "recency_days"), let f = table.columnNames.firstIndex(of: "frequency"),
              let m = table.columnNames.firstIndex(of: "monetary_total") else {
            warnings.append("RFM scores not computed: \(view) lacks recency_days, frequency or monetary_total")
            return []
        }
        // The run's own feature rows (the usual case): the same users in the same order.
        let sameRows = table.userIds == userIds
        let row = sameRows ? [:] : Dictionary(uniqueKeysWithValues: table.userIds.enumerated().map { ($1, $0) })
        let members = sameRows ? Array(userIds.indices) : userIds.compactMap { row[$0] }
        let scored = RFMScoring.scores(
            recencyDays: members.map { i in let v = table.values[i * d + r]; return v.isNaN ? nil : v },
            frequency: members.map { table.values[$0 * d + f] },
            monetary: members.map { table.values[$0 * d + m] })
        if sameRows { return scored }
        var byRow: [Int: RFMScoring.Score] = [:]
        for (i, score) in zip(members, scored) { byRow[i] = score }
        return userIds.map { row[$0].flatMap { byRow[$0] } }
    }
}
