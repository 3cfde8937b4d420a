import Foundation
import ShopsegWarehouse

/// Gives each segment a short, unique, human-readable name and a one-line description, derived
/// deterministically from its profile: the segment's dominant RFM segment ("Prospects" only when
/// users who never purchased are more than half of it), then the two features
/// that set it most apart from the population (largest |z-score|), e.g.
/// "At Risk — high spend, long since last order".
///
/// A segment kept from the previous run (same stable id) keeps its previous name, so names stay
/// with ids night after night; only new segments are named afresh. Names are unique within a
/// run: a clash takes the third most distinctive feature, then the segment id. Noise (-1) is
/// "Noise — fits no dense group".
enum SegmentNaming {
    /// Features whose |z| is below this are not distinctive enough to name a segment by.
    static let minimumDistinctiveness = 0.25

    static func labels(profiles: [SegmentProfileRow], sizes: [Int: Int], userSegments: [Int], userRFMSegments: [String?],
                       previousNames: [Int: String], kept: Set<Int>) -> [SegmentLabel] {
        let total = sizes.values.reduce(0, +)
        var dominant: [Int: (name: String, share: Double)] = [:]
        var counts: [Int: [String: Int]] = [:]
        for (segment, rfm) in zip(userSegments, userRFMSegments) { if let rfm { counts[segment, default: [:]][rfm, default: 0] += 1 } }
        for (segment, byName) in counts {
            let size = Double(sizes[segment] ?? 1)
            // "Prospects" (never purchased) names a segment only when they are most of it: a
            // segment of buyers with a large minority of browsers is named by its buyers.
            let prospects = Double(byName[RFMScoring.prospectName] ?? 0)
            let candidates = prospects > size / 2 ? byName : byName.filter { $0.key != RFMScoring.prospectName }
            guard let top = candidates.max(by: { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }) else { continue }
            dominant[segment] = (top.key, Double(top.value) / size)
        }
        var taken = Set<String>()
        var labels: [SegmentLabel] = []
        for segment in sizes.keys.sorted(by: { sizes[$0]! != sizes[$1]! ? sizes[$0]! > sizes[$1]! : $0 < $1 }) {
            let distinctive = Self.withoutEchoes(profiles.filter { $0.segmentId == segment && abs($0.zScore ?? 0) >= minimumDistinctiveness }
                .sorted { abs($0.zScore!) > abs($1.zScore!) })
            let head = segment == -1 ? "Noise" : dominant[segment]?.name ?? "Segment \(segment)"
            var name: String
            if segment == -1 {
                name = "Noise — fits no dense group"
            } else if kept.contains(segment), let previous = previousNames[segment], !taken.contains(previous) {
                name = previous
            } else {
                let phrases = distinctive.map(phrase)
                name = phrases.isEmpty ? "\(head) — typical" : "\(head) — " + phrases.prefix(2).joined(separator: ", ")
                if taken.contains(name), phrases.count >= 3 { name = "\(head) — " + phrases.prefix(3).joined(separator: ", ") }
                if taken.contains(name) { name += " (\(segment))" }
            }
            taken.insert(name)
            labels.append(SegmentLabel(segmentId: segment, name: name,
                                       description: description(segment: segment, size: sizes[segment]!, total: total,
                                                                dominant: dominant[segment], distinctive: Array(distinctive.prefix(2)))))
        }
        return labels.sorted { $0.segmentId < $1.segmentId }
    }

    /// Drops a feature whose z-score equals (to 1e-9) one already listed: in a purchases-only log
    /// `active_days` echoes `frequency`, and naming both says the same thing twice.
    static func withoutEchoes(_ rows: [SegmentProfileRow]) -> [SegmentProfileRow] {
        var kept: [SegmentProfileRow] = []
        for row in rows where !kept.contains(where: { abs(($0.zScore ?? 0) - (row.zScore ?? 0)) < 1e-9 }) { kept.append(row) }
        return kept
    }

    /// "412 users (17.5%); 64% At Risk; monetary_total 466.4 vs 94.1 overall (z 1.9); …"
    static func description(segment: Int, size: Int, total: Int, dominant: (name: String, share: Double)?,
                            distinctive: [SegmentProfileRow]) -> String {
        var parts = ["\(grouped(size)) \(size == 1 ? "user" : "users") (\(percent(Double(size) / Double(max(total, 1)))))"]
        if let dominant { parts.append("\(percent(dominant.share)) \(dominant.name)") }
        for row in distinctive {
            parts.append("\(row.feature) \(number(row.mean)) vs \(number(row.populationMean)) overall (z \(String(format: "%.1f", row.zScore ?? 0)))")
        }
        return parts.joined(separator: "; ")
    }

    static func phrase(_ row: SegmentProfileRow) -> String {
        let high = (row.zScore ?? 0) > 0
        let words = phrases[row.feature] ?? ("high \(row.feature)", "low \(row.feature)")
        return high ? words.high : words.low
    }

    /// Feature-view column → (phrase when the segment is above the population, when below).
    static let phrases: [String: (high: String, low: String)] = [
        "recency_days": ("long since last order", "recent buyers"),
        "frequency": ("frequent buyers", "rare buyers"),
        "monetary_total": ("high spend", "low spend"),
        "avg_order_value": ("large baskets", "small baskets"),
        "tenure_days": ("long-standing", "recently joined"),
        "returns": ("many returns", "few returns"),
        "views": ("heavy browsers", "light browsers"),
        "carts": ("many carts", "few carts"),
        "sessions": ("many sessions", "few sessions"),
        "view_to_cart_rate": ("add to cart readily", "rarely add to cart"),
        "cart_to_purchase_rate": ("complete checkouts", "abandon carts"),
        "distinct_items": ("wide assortment", "narrow assortment"),
        "distinct_categories": ("many categories", "few categories"),
        "active_days": ("often active", "seldom active"),
        "ratings": ("frequent raters", "rarely rate"),
        "avg_rating": ("rate highly", "rate low"),
    ]

    private static func percent(_ share: Double) -> String { String(format: "%.1f%%", share * 100) }
    /// 5621 → "5,621"
    private static func grouped(_ n: Int) -> String {
        let digits = String(n)
        return String(digits.reversed().enumerated().map { $0 > 0 && $0 % 3 == 0 ? ",\($1)" : "\($1)" }.joined().reversed())
    }
    private static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        return abs(value) >= 100 ? String(format: "%.0f", value) : String(format: "%.2f", value)
    }
}
