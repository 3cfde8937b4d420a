/// The customer types the generator plants, with their shares of users and how they behave.
///
/// Each type is a realistic pattern, not a point in feature space: users of a type vary
/// (session counts, spend levels and timings are drawn per user), and neighbouring types
/// overlap at their edges. The mixture and every parameter are documented in
/// `docs/generator.md`.
public enum PlantedSegment: String, CaseIterable, Sendable, Codable {
    case champions
    case loyal
    case bargainHunters = "bargain_hunters"
    case windowShoppers = "window_shoppers"
    case atRisk = "at_risk"
    case new
    case oneOffBuyers = "one_off_buyers"

    /// Share of users of this type (the shares sum to 1).
    public var share: Double { behaviour.share }

    /// The behaviour parameters of this type.
    public var behaviour: SegmentBehaviour {
        switch self {
        case .champions:
            SegmentBehaviour(share: 0.08, signup: 0.0...0.5, lastActivity: 0.97...1.0, sessions: 8...12, meanViews: 3.5,
                             browseCartRate: 0.12, buyingShare: 0.6, linesPerOrder: 1...3, lastSessionBuys: true,
                             spendMedian: 80, spendSigma: 0.5, quantity: 1...2, returnRate: 0.04,
                             ratingRate: 0.30, meanRating: 4.5, categoriesPerUser: 4)
        case .loyal:
            SegmentBehaviour(share: 0.17, signup: 0.0...0.4, lastActivity: 0.9...1.0, sessions: 4...7, meanViews: 3.5,
                             browseCartRate: 0.12, buyingShare: 0.45, linesPerOrder: 1...2, lastSessionBuys: true,
                             spendMedian: 35, spendSigma: 0.45, quantity: 1...1, returnRate: 0.05,
                             ratingRate: 0.15, meanRating: 4.1, categoriesPerUser: 2)
        case .bargainHunters:
            SegmentBehaviour(share: 0.15, signup: 0.0...0.6, lastActivity: 0.75...1.0, sessions: 4...6, meanViews: 5,
                             browseCartRate: 0.2, buyingShare: 0.45, linesPerOrder: 1...2, lastSessionBuys: false,
                             spendMedian: 7, spendSigma: 0.4, quantity: 1...2, returnRate: 0.15,
                             ratingRate: 0.06, meanRating: 3.3, categoriesPerUser: 8)
        case .windowShoppers:
            SegmentBehaviour(share: 0.22, signup: 0.0...0.85, lastActivity: 0.5...1.0, sessions: 3...4, meanViews: 3.5,
                             browseCartRate: 0.08, buyingShare: 0, linesPerOrder: 1...1, lastSessionBuys: false,
                             spendMedian: 40, spendSigma: 0.7, quantity: 1...1, returnRate: 0,
                             ratingRate: 0, meanRating: 3.5, categoriesPerUser: 5)
        case .atRisk:
            SegmentBehaviour(share: 0.13, signup: 0.0...0.2, lastActivity: 0.3...0.5, sessions: 3...5, meanViews: 3,
                             browseCartRate: 0.12, buyingShare: 0.5, linesPerOrder: 1...2, lastSessionBuys: true,
                             spendMedian: 40, spendSigma: 0.5, quantity: 1...1, returnRate: 0.10,
                             ratingRate: 0.12, meanRating: 3.0, categoriesPerUser: 2)
        case .new:
            SegmentBehaviour(share: 0.13, signup: 0.93...0.99, lastActivity: 0.97...1.0, sessions: 1...2, meanViews: 3,
                             browseCartRate: 0.1, buyingShare: 0.4, linesPerOrder: 1...1, lastSessionBuys: false,
                             spendMedian: 35, spendSigma: 0.6, quantity: 1...1, returnRate: 0.03,
                             ratingRate: 0.05, meanRating: 4.0, categoriesPerUser: 2)
        case .oneOffBuyers:
            SegmentBehaviour(share: 0.12, signup: 0.0...0.7, lastActivity: 0.0...0.0, sessions: 1...1, meanViews: 3,
                             browseCartRate: 0.1, buyingShare: 1, linesPerOrder: 1...1, lastSessionBuys: true,
                             spendMedian: 55, spendSigma: 0.8, quantity: 1...1, returnRate: 0.15,
                             ratingRate: 0.10, meanRating: 3.2, categoriesPerUser: 1)
        }
    }
}

/// How users of one planted type behave. Times are fractions of the generated period
/// (0 = its first instant, 1 = its last).
public struct SegmentBehaviour: Sendable, Equatable {
    /// Share of users of this type.
    public let share: Double
    /// Where the signup falls.
    public let signup: ClosedRange<Double>
    /// Where the last session falls; `0...0` means "the first session is the last" (a single visit).
    public let lastActivity: ClosedRange<Double>
    /// Sessions per user, drawn uniformly.
    public let sessions: ClosedRange<Int>
    /// Mean item views per session (1 + geometric).
    public let meanViews: Double
    /// Probability that an item viewed in a session goes to a cart that is then abandoned.
    public let browseCartRate: Double
    /// Share of sessions that end in an order (the last viewed items carted and bought).
    public let buyingShare: Double
    /// Lines (distinct items) per order, drawn uniformly.
    public let linesPerOrder: ClosedRange<Int>
    /// Whether the last session always ends in an order (recency then measures the type's lapse).
    public let lastSessionBuys: Bool
    /// Median of the user's price level (shop currency); each user's level is log-normal around it.
    public let spendMedian: Double
    /// σ of the log-normal spend level across users of the type.
    public let spendSigma: Double
    /// Units per purchased line, drawn uniformly.
    public let quantity: ClosedRange<Int>
    /// Probability that a purchased line is returned (3–20 days later).
    public let returnRate: Double
    /// Probability that a purchased line is rated (2–14 days later), with a short review half the time.
    public let ratingRate: Double
    /// Mean star rating (1–5) the type gives.
    public let meanRating: Double
    /// Categories a user of the type browses (favourites drawn per user).
    public let categoriesPerUser: Int
}
