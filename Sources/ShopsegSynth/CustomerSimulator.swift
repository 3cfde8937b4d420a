import ShopsegEngine
import ShopsegIngest

/// Simulates one user: attributes, then sessions of views → carts → an order, then the
/// returns and ratings that follow some purchased lines. Holds only this user's events.
struct CustomerSimulator {
    let shop: SyntheticShop
    let userId: String
    let segment: PlantedSegment
    var random: Xoshiro256StarStar

    static let countries: [(code: String, weight: Double, cities: [String])] = [
        ("DE", 0.22, ["Berlin", "Hamburg", "Munich", "Cologne"]),
        ("FR", 0.18, ["Paris", "Lyon", "Marseille", "Toulouse"]),
        ("GB", 0.16, ["London", "Manchester", "Leeds", "Glasgow"]),
        ("ES", 0.12, ["Madrid", "Barcelona", "Valencia", "Seville"]),
        ("IT", 0.11, ["Rome", "Milan", "Naples", "Turin"]),
        ("NL", 0.08, ["Amsterdam", "Rotterdam", "Utrecht"]),
        ("PL", 0.07, ["Warsaw", "Krakow", "Gdansk"]),
        ("SE", 0.06, ["Stockholm", "Gothenburg", "Malmo"]),
    ]

    static let reviews: [[String]] = [
        ["Broke after a week.", "Not what I expected, sadly.", "Would not buy again."],
        ["Poor quality for the price.", "Arrived late and damaged."],
        ["It's okay.", "Does the job, nothing more.", "Average, as described."],
        ["Good value.", "Nice, would recommend.", "Works well, \"as advertised\"."],
        ["Excellent, love it!", "Perfect, fast delivery.", "Best purchase this year, five stars."],
    ]

    mutating func run() -> SyntheticCustomer {
        let b = segment.behaviour
        let period = Double(shop.end - SyntheticShop.start)
        func at(_ fraction: Double) -> Int64 { SyntheticShop.start + Int64(fraction * period) }

        // Attributes.
        let signup = at(Random.uniform(&random, b.signup))
        var pick = random.uniform()
        var country = Self.countries[0]
        for candidate in Self.countries { pick -= candidate.weight; country = candidate; if pick < 0 { break } }
        let city = country.cities[random.uniformInt(below: country.cities.count)]
        let genderDraw = random.uniform()
        let gender = genderDraw < 0.48 ? "female" : genderDraw < 0.95 ? "male" : ""
        let age = 18 + Int(min(max(38 + 13 * Random.normal(&random), 0), 62))
        let birthDay = (SyntheticShop.start / 86_400) - Int64(age * 365 + random.uniformInt(below: 365))
        let user = SyntheticUser(userId: userId, signupTime: signup, birthDate: UTCTime.dateText(days: birthDay),
                                 country: country.code, city: city, gender: gender)

        // The user's own taste: a price level (log-normal around the type's median) and favourite categories.
        let priceLevel = b.spendMedian * Random.logNormal(&random, sigma: b.spendSigma)
        var favourites: [Int] = []
        while favourites.count < min(b.categoriesPerUser, Catalog.categories.count) {
            let c = random.uniformInt(below: Catalog.categories.count)
            if !favourites.contains(c) { favourites.append(c) }
        }

        // Session times: the first soon after signup, the last in the type's window, the rest between.
        let sessionCount = Random.int(&random, b.sessions)
        let first = min(signup + Int64(random.uniformInt(below: 3 * 86_400)), shop.end - 3_600)
        let last: Int64
        if b.lastActivity == 0...0 || sessionCount == 1 {
            last = first
        } else {
            last = max(first, min(at(Random.uniform(&random, b.lastActivity)), shop.end - 3_600))
        }
        var starts: [Int64] = [first]
        if sessionCount > 1 {
            for _ in 0..<(sessionCount - 2) { starts.append(first + Int64(random.uniform() * Double(last - first))) }
            starts.append(last)
        }
        starts.sort()

        var events: [SyntheticEvent] = []
        var orders = 0
        for (s, start) in starts.enumerated() {
            let sessionId = "\(userId)-S\(s < 10 ? "00" : s < 100 ? "0" : "")\(s)"
            var t = start
            let buys = (b.lastSessionBuys && s == starts.count - 1) || Random.chance(&random, b.buyingShare)
            let views = 1 + Random.geometric(&random, mean: b.meanViews - 1)
            let lines = buys ? min(Random.int(&random, b.linesPerOrder), views) : 0
            var cartLines: [Int] = []      // positions in events of this session's lines to buy
            for v in 0..<views {
                t += 20 + Int64(random.uniformInt(below: 160))
                let item = pickItem(priceLevel: priceLevel, favourites: favourites)
                events.append(event(.view, t, item, session: sessionId))
                let buyLine = v >= views - lines
                if buyLine || Random.chance(&random, b.browseCartRate) {
                    t += 10 + Int64(random.uniformInt(below: 60))
                    var cart = event(.cart, t, item, session: sessionId)
                    cart.quantity = Random.int(&random, b.quantity)
                    cart.unitPriceCents = shop.items[item].priceCents
                    if buyLine { cartLines.append(events.count) }
                    events.append(cart)
                }
            }
            guard !cartLines.isEmpty else { continue }
            t += 60 + Int64(random.uniformInt(below: 240))
            let orderId = "O\(userId.dropFirst())-\(orders)"
            orders += 1
            for position in cartLines {
                var purchase = events[position]
                purchase.kind = .purchase; purchase.time = t; purchase.orderId = orderId
                events.append(purchase)
                afterPurchase(purchase, behaviour: b, into: &events)
            }
        }
        events.sort { $0.time < $1.time }   // stable: same-time lines keep their order
        return SyntheticCustomer(user: user, segment: segment, events: events)
    }

    /// Returns and ratings some days after a purchased line, when they fall in the period.
    mutating func afterPurchase(_ purchase: SyntheticEvent, behaviour b: SegmentBehaviour, into events: inout [SyntheticEvent]) {
        if Random.chance(&random, b.returnRate) {
            let time = purchase.time + Int64((3 + random.uniformInt(below: 18)) * 86_400 + random.uniformInt(below: 86_400))
            if time <= shop.end {
                var line = purchase
                line.kind = .return; line.time = time; line.sessionId = nil
                events.append(line)
            }
        }
        if Random.chance(&random, b.ratingRate) {
            let time = purchase.time + Int64((2 + random.uniformInt(below: 13)) * 86_400 + random.uniformInt(below: 86_400))
            if time <= shop.end {
                let stars = Int(min(max((b.meanRating + 0.9 * Random.normal(&random)).rounded(), 1), 5))
                let texts = Self.reviews[stars - 1]
                let text = Random.chance(&random, 0.5) ? texts[random.uniformInt(below: texts.count)] : nil
                events.append(SyntheticEvent(kind: .rating, time: time, itemId: purchase.itemId, category: purchase.category,
                                             orderId: purchase.orderId, rating: stars, reviewText: text))
            }
        }
    }

    /// An item near the user's price level: 80% from a favourite category, else any.
    mutating func pickItem(priceLevel: Double, favourites: [Int]) -> Int {
        let target = Int((priceLevel * Random.logNormal(&random, sigma: 0.35) * 100).rounded())
        let pool: [Int]
        if Random.chance(&random, 0.8) {
            pool = shop.itemsByCategory[favourites[random.uniformInt(below: favourites.count)]]
        } else {
            pool = shop.itemsByCategory[random.uniformInt(below: Catalog.categories.count)]
        }
        // pool is sorted by price: the first item at or above the target, then a near neighbour.
        var lo = 0, hi = pool.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if shop.items[pool[mid]].priceCents < target { lo = mid + 1 } else { hi = mid }
        }
        let jitter = random.uniformInt(below: 5) - 2
        return pool[min(max(lo + jitter, 0), pool.count - 1)]
    }

    func event(_ kind: SyntheticEvent.Kind, _ time: Int64, _ item: Int, session: String) -> SyntheticEvent {
        SyntheticEvent(kind: kind, time: time, itemId: shop.items[item].itemId, category: shop.items[item].category,
                       sessionId: session)
    }
}
