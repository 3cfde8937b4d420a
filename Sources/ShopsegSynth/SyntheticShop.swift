import Foundation
import ShopsegEngine

/// Settings of a synthetic shop: how many users, over how many days, from which seed.
///
/// Everything generated is a pure function of these settings: the catalog comes from its own
/// seeded stream and user `i` from a stream seeded by `(seed, i)`, so any user can be
/// generated on its own, in any order, and the files are the same bytes on every run.
///
/// ```swift
/// let shop = SyntheticShop(users: 10_000, days: 365, seed: 7)
/// let customer = shop.customer(0)          // user U000000, its planted type and events
/// ```
public struct SyntheticShop: Sendable {
    /// Number of users, ≥ 1.
    public let users: Int
    /// Length of the period in days, ≥ 30.
    public let days: Int
    /// Seed of every random draw.
    public let seed: UInt64
    /// Seconds since 1970 of the period's first instant: 2025-01-01T00:00:00Z.
    public static let start: Int64 = 1_735_689_600
    /// Items in the catalog (fixed, whatever the number of users).
    public static let itemCount = 2_000

    /// The catalog: items sorted by price (cheapest first).
    public let items: [SyntheticItem]

    /// - Precondition: `users >= 1`, `days >= 30`.
    public init(users: Int, days: Int = 365, seed: UInt64 = 0) {
        precondition(users >= 1, "users=\(users) should be >= 1")
        precondition(days >= 30, "days=\(days) should be >= 30")
        self.users = users
        self.days = days
        self.seed = seed
        let catalog = Catalog.make(seed: seed, count: Self.itemCount)
        items = catalog
        itemsByCategory = Catalog.categories.map { category in catalog.indices.filter { catalog[$0].category == category } }
        userIdWidth = max(6, String(users - 1).count)
    }

    /// Per category, item positions in `items` (sorted by price).
    let itemsByCategory: [[Int]]
    let userIdWidth: Int

    /// Seconds since 1970 of the period's last instant.
    public var end: Int64 { Self.start + Int64(days) * 86_400 - 1 }

    /// `U000042`: ids are zero-padded so they sort like their index.
    public func userId(_ index: Int) -> String {
        let digits = String(index)
        return "U" + String(repeating: "0", count: max(0, userIdWidth - digits.count)) + digits
    }

    /// The planted type of user `index` (the first draw of its stream; cheap, no events generated).
    public func segment(ofUser index: Int) -> PlantedSegment {
        var random = stream(forUser: index)
        return Self.drawSegment(&random)
    }

    /// User `index` with its planted type and every event, oldest first.
    /// - Precondition: `0 <= index < users`.
    public func customer(_ index: Int) -> SyntheticCustomer {
        precondition(index >= 0 && index < users, "user index=\(index) should be in 0..<\(users)")
        var random = stream(forUser: index)
        let segment = Self.drawSegment(&random)
        var simulator = CustomerSimulator(shop: self, userId: userId(index), segment: segment, random: random)
        return simulator.run()
    }

    func stream(forUser index: Int) -> Xoshiro256StarStar {
        var mix = SplitMix64(seed: seed ^ 0x5EED_0F05_E65E_6000)
        let base = mix.next()
        var user = SplitMix64(seed: base &+ UInt64(index) &* 0x9E37_79B9_7F4A_7C15)
        return Xoshiro256StarStar(seed: user.next())
    }

    static func drawSegment(_ random: inout Xoshiro256StarStar) -> PlantedSegment {
        let u = random.uniform()
        var cumulative = 0.0
        for segment in PlantedSegment.allCases {
            cumulative += segment.share
            if u < cumulative { return segment }
        }
        return PlantedSegment.allCases.last!
    }
}

/// The item catalog: categories, names, brands and heavy-tailed (log-normal) prices.
enum Catalog {
    static let categories = ["books", "music", "games", "toys", "kitchen", "garden", "fashion", "shoes",
                             "beauty", "sports", "electronics", "home"]
    /// Median price per category (shop currency): electronics cost more than books.
    static let medianPrice: [Double] = [14, 12, 35, 20, 30, 28, 40, 60, 18, 45, 120, 50]
    static let brands = ["Acme", "Northwind", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark",
                         "Wayne", "Tyrell", "Soylent", "Cyberdyne"]
    static let nouns = ["Classic", "Deluxe", "Mini", "Pro", "Eco", "Smart", "Vintage", "Basic", "Ultra", "Travel"]

    static func make(seed: UInt64, count: Int) -> [SyntheticItem] {
        var random = Xoshiro256StarStar(seed: seed ^ 0xCA7A_1065_0000_0001)
        var items: [SyntheticItem] = []
        items.reserveCapacity(count)
        for index in 0..<count {
            let c = random.uniformInt(below: categories.count)
            let price = medianPrice[c] * Random.logNormal(&random, sigma: 0.9)
            let cents = min(max(Int((price * 100).rounded()), 99), 500_000)
            items.append(SyntheticItem(
                itemId: "I" + String(repeating: "0", count: 5 - String(index).count) + String(index),
                name: "\(nouns[random.uniformInt(below: nouns.count)]) \(categories[c]) item \(index)",
                category: categories[c], priceCents: cents, brand: brands[random.uniformInt(below: brands.count)]))
        }
        // Sorted by price so a user's price level picks items by binary search; ties by id.
        return items.sorted { ($0.priceCents, $0.itemId) < ($1.priceCents, $1.itemId) }
    }
}

/// Draws from the distributions the generator needs, on the engine's seeded generator.
enum Random {
    /// Standard normal (Box–Muller, one of the pair).
    static func normal(_ random: inout Xoshiro256StarStar) -> Double {
        let u1 = 1 - random.uniform()      // (0, 1]
        let u2 = random.uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Log-normal with median 1.
    static func logNormal(_ random: inout Xoshiro256StarStar, sigma: Double) -> Double {
        exp(sigma * normal(&random))
    }

    /// Integer ≥ 0 with the given mean (geometric).
    static func geometric(_ random: inout Xoshiro256StarStar, mean: Double) -> Int {
        guard mean > 0 else { return 0 }
        let p = 1 / (1 + mean)
        let u = 1 - random.uniform()
        return Int(log(u) / log(1 - p))
    }

    static func chance(_ random: inout Xoshiro256StarStar, _ p: Double) -> Bool { random.uniform() < p }

    static func uniform(_ random: inout Xoshiro256StarStar, _ range: ClosedRange<Double>) -> Double {
        range.lowerBound + (range.upperBound - range.lowerBound) * random.uniform()
    }

    static func int(_ random: inout Xoshiro256StarStar, _ range: ClosedRange<Int>) -> Int {
        range.lowerBound + random.uniformInt(below: range.count)
    }
}
