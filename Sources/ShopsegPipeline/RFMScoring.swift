import ShopsegEngine

/// RFM quintile scores and the customary RFM segment names.
///
/// **Scores.** Each of recency, frequency and monetary value is scored 1–5 within the run's
/// population (5 = best: most recent, most frequent, highest spend). A user's score comes from
/// their mid-rank percentile p = (users strictly worse + ½ · users equal) / n, as
/// `score = min(5, 1 + ⌊5p⌋)`. So equal values always get equal scores; a population where
/// everyone has the same value (everyone bought once) scores 3 — the middle, neither good nor
/// bad — and a single user scores 3 too. Users who never purchased have no recency: they rank
/// below every purchaser (as if their last purchase were infinitely long ago).
///
/// **Prospects.** The RFM grid names customers; a user who never purchased is not a lapsed
/// customer, so whatever their scores their segment is ``prospectName`` ("Prospects"), not `Lost`.
///
/// **Names.** With FM = ⌈(F + M) / 2⌉ (1–5), the (R, FM) grid names every one of the 125 score
/// triples exactly once, and every name is reachable:
///
/// ```
///  R\FM   1               2                 3                    4                 5
///   5     New Customers   Promising         Potential Loyalists  Champions         Champions
///   4     Promising       Potential Loyal.  Potential Loyalists  Loyal Customers   Champions
///   3     About to Sleep  Need Attention    Need Attention       Loyal Customers   Loyal Customers
///   2     Hibernating     About to Sleep    At Risk              At Risk           Can't Lose Them
///   1     Lost            Hibernating       At Risk              Can't Lose Them   Can't Lose Them
/// ```
enum RFMScoring {
    struct Score: Equatable {
        let r, f, m: Int
        /// False for a user with no purchase by the run's as_of.
        let purchased: Bool
        var cell: String { RFMScoring.cells[(r - 1) * 25 + (f - 1) * 5 + (m - 1)] }
        var segment: String { purchased ? RFMScoring.segmentName(r: r, f: f, m: m) : RFMScoring.prospectName }
    }

    /// The segment of users who never purchased (outside the grid).
    static let prospectName = "Prospects"

    static let segmentNames = ["Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising",
                               "Need Attention", "About to Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"]

    private static let grid: [[String]] = [   // grid[5 - R][FM - 1]
        ["New Customers", "Promising", "Potential Loyalists", "Champions", "Champions"],
        ["Promising", "Potential Loyalists", "Potential Loyalists", "Loyal Customers", "Champions"],
        ["About to Sleep", "Need Attention", "Need Attention", "Loyal Customers", "Loyal Customers"],
        ["Hibernating", "About to Sleep", "At Risk", "At Risk", "Can't Lose Them"],
        ["Lost", "Hibernating", "At Risk", "Can't Lose Them", "Can't Lose Them"],
    ]

    static func segmentName(r: Int, f: Int, m: Int) -> String {
        let fm = (f + m + 1) / 2
        return grid[5 - r][fm - 1]
    }

    /// The 125 cells "111" … "555", made once (a million users share them).
    static let cells = (1...5).flatMap { r in (1...5).flatMap { f in (1...5).map { m in "\(r)\(f)\(m)" } } }

    /// - Parameters: one entry per user; `recencyDays` nil = never purchased.
    static func scores(recencyDays: [Double?], frequency: [Double], monetary: [Double]) -> [Score] {
        // Lower recency is better: score its negation; never purchased = worst of all.
        // The three rankings are independent: one per worker.
        let columns = [recencyDays.map { $0.map { -$0 } ?? -.infinity }, frequency, monetary]
        let ranked = ChunkedParallel.map(count: 3, chunkSize: 1, workers: ChunkedParallel.defaultWorkerCount) { j, _ in quintiles(columns[j]) }
        let (r, f, m) = (ranked[0], ranked[1], ranked[2])
        return r.indices.map { Score(r: r[$0], f: f[$0], m: m[$0], purchased: recencyDays[$0] != nil) }
    }

    /// 1–5 by mid-rank percentile, higher values scoring higher; NaN counts as the lowest value.
    static func quintiles(_ values: [Double]) -> [Int] {
        let n = values.count
        guard n > 0 else { return [] }
        let keyed = values.map { $0.isNaN ? -Double.infinity : $0 }
        // (value, row) pairs sorted by value: a contiguous sort, faster than sorting row numbers
        // through the array; the order among equal values does not matter (they score alike).
        var pairs = keyed.enumerated().map { ($0.element, $0.offset) }
        pairs.sort { $0.0 < $1.0 }
        let order = pairs.map(\.1)
        var scores = [Int](repeating: 0, count: n)
        var start = 0
        while start < n {
            var end = start
            while end + 1 < n, keyed[order[end + 1]] == keyed[order[start]] { end += 1 }
            let equal = end - start + 1
            let p = (Double(start) + 0.5 * Double(equal)) / Double(n)
            let score = min(5, 1 + Int((5 * p).rounded(.down)))
            for i in start...end { scores[order[i]] = score }
            start = end + 1
        }
        return scores
    }
}
