import Foundation
import ShopsegSynth
import ShopsegIngest
import XCTest

/// The generator's contracts: determinism, the mixture, sensible logs, one user held at a time.
final class SyntheticShopTests: XCTestCase {
    private var folder: URL!
    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-synth-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func write(users: Int, seed: UInt64, format: SyntheticFormat = .csv, name: String) throws -> (SyntheticFiles, GenerationSummary) {
        let files = SyntheticFiles(events: folder.appendingPathComponent("\(name).\(format.fileExtension)"), format: format)
        let summary = try SyntheticWriter(shop: SyntheticShop(users: users, days: 365, seed: seed), format: format).write(to: files)
        return (files, summary)
    }

    func testSiblingFilesAreNamedAfterTheEventsFile() {
        let files = SyntheticFiles(events: URL(fileURLWithPath: "/data/events.csv"), format: .csv)
        XCTAssertEqual(files.users.path, "/data/events.users.csv")
        XCTAssertEqual(files.items.path, "/data/events.items.csv")
        XCTAssertEqual(files.truth.path, "/data/events.truth.csv")
        XCTAssertEqual(SyntheticFiles(events: URL(fileURLWithPath: "/data/log"), format: .jsonl).truth.path, "/data/log.truth.jsonl")
    }

    func testSameSeedGivesTheSameBytesAndAnotherSeedDifferentOnes() throws {
        for format in SyntheticFormat.allCases {
            let (a, _) = try write(users: 300, seed: 7, format: format, name: "a")
            let (b, _) = try write(users: 300, seed: 7, format: format, name: "b")
            let (c, _) = try write(users: 300, seed: 8, format: format, name: "c")
            for (x, y) in zip(a.all, b.all) {
                XCTAssertEqual(try Data(contentsOf: x), try Data(contentsOf: y), "\(x.lastPathComponent) differs for the same seed")
            }
            for (x, z) in zip(a.all, c.all) {
                XCTAssertNotEqual(try Data(contentsOf: x), try Data(contentsOf: z), "\(x.lastPathComponent) same for seeds 7 and 8")
            }
        }
    }

    func testMixtureSharesAreWithinTolerance() {
        XCTAssertEqual(PlantedSegment.allCases.map(\.share).reduce(0, +), 1, accuracy: 1e-12)
        let shop = SyntheticShop(users: 40_000, seed: 3)
        var counts: [PlantedSegment: Int] = [:]
        for index in 0..<shop.users { counts[shop.segment(ofUser: index), default: 0] += 1 }
        for segment in PlantedSegment.allCases {
            // 4 standard errors of a binomial share at n = 40,000 is below 0.009.
            XCTAssertEqual(Double(counts[segment] ?? 0) / 40_000, segment.share, accuracy: 0.009, "\(segment)")
        }
    }

    func testEventRatiosAreSensible() throws {
        var sink = RecordingSink()
        let summary = try SyntheticWriter(shop: SyntheticShop(users: 4_000, seed: 1)).generate(into: &sink)
        let n = { (type: String) in Double(summary.eventsByType[type] ?? 0) }
        let perUser = Double(summary.events) / Double(summary.users)
        XCTAssertTrue((15...25).contains(perUser), "events per user \(perUser)")
        XCTAssertTrue((0.10...0.40).contains(n("cart") / n("view")), "carts / views \(n("cart") / n("view"))")
        XCTAssertTrue((0.30...0.80).contains(n("purchase") / n("cart")), "purchases / carts \(n("purchase") / n("cart"))")
        XCTAssertTrue((0.02...0.15).contains(n("return") / n("purchase")), "returns / purchases \(n("return") / n("purchase"))")
        XCTAssertTrue((0.05...0.30).contains(n("rating") / n("purchase")), "ratings / purchases \(n("rating") / n("purchase"))")
        // Window shoppers never buy; one-off buyers buy exactly once.
        for customer in sink.customers where customer.segment == .windowShoppers {
            XCTAssertFalse(customer.events.contains { $0.kind == .purchase }, customer.user.userId)
        }
        for customer in sink.customers where customer.segment == .oneOffBuyers {
            XCTAssertEqual(Set(customer.events.compactMap(\.orderId)).count, 1, customer.user.userId)
        }
    }

    func testEventsAreWellFormedAndInThePeriod() throws {
        let shop = SyntheticShop(users: 1_000, days: 90, seed: 5)
        let itemIds = Set(shop.items.map(\.itemId))
        for index in 0..<shop.users {
            let customer = shop.customer(index)
            XCTAssertFalse(customer.events.isEmpty)
            XCTAssertEqual(customer.events.map(\.time), customer.events.map(\.time).sorted())
            for event in customer.events {
                XCTAssertTrue((SyntheticShop.start...shop.end).contains(event.time))
                XCTAssertGreaterThanOrEqual(event.time, customer.user.signupTime)
                XCTAssertTrue(itemIds.contains(event.itemId))
                switch event.kind {
                case .purchase, .return:
                    XCTAssertNotNil(event.orderId); XCTAssertNotNil(event.amountCents)
                case .rating:
                    XCTAssertTrue((1...5).contains(event.rating ?? 0))
                case .view, .cart:
                    XCTAssertNotNil(event.sessionId); XCTAssertNil(event.orderId)
                }
            }
        }
    }

    func testTruthCoversEveryUserInOrder() throws {
        let (files, summary) = try write(users: 500, seed: 2, name: "t")
        let users = try String(contentsOf: files.users, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",")[0] }
        let truth = try String(contentsOf: files.truth, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: ",") }
        XCTAssertEqual(users.count, 500)
        XCTAssertEqual(truth.map { $0[0] }, users)
        XCTAssertEqual(Set(truth.map { String($0[1]) }).subtracting(PlantedSegment.allCases.map(\.rawValue)), [])
        XCTAssertEqual(summary.usersBySegment.values.reduce(0, +), 500)
        let eventLines = try String(contentsOf: files.events, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(eventLines.first, "user_id,event_type,occurred_at,item_id,category,order_id,quantity,unit_price,amount,rating,review_text,session_id")
        XCTAssertEqual(eventLines.count - 1, summary.events)
    }

    /// The constant-memory design: the writer hands the sink one user at a time, and a user's
    /// events do not depend on how many users are generated (nothing is shared between users
    /// but the catalog), so the most events ever held is one user's and does not grow with N.
    func testTheWriterHoldsOneUserAtATime() throws {
        var small = RecordingSink(), large = RecordingSink()
        let largeShop = SyntheticShop(users: 3_000, seed: 9)
        let smallSummary = try SyntheticWriter(shop: SyntheticShop(users: 300, seed: 9)).generate(into: &small)
        let largeSummary = try SyntheticWriter(shop: largeShop).generate(into: &large)
        XCTAssertEqual(large.customers.count, 3_000)
        XCTAssertEqual(large.customers.map(\.user.userId), (0..<3_000).map(largeShop.userId))
        XCTAssertEqual(largeSummary.maxEventsHeld, large.customers.map(\.events.count).max())
        XCTAssertLessThan(largeSummary.maxEventsHeld, 400)
        XCTAssertLessThan(largeSummary.maxEventsHeld * 100, largeSummary.events)
        // User i is the same whatever N: its events come from its own stream.
        for index in [0, 42, 299] {
            XCTAssertEqual(small.customers[index].events, large.customers[index].events)
            XCTAssertEqual(small.customers[index].user, large.customers[index].user)
        }
        XCTAssertEqual(smallSummary.items, SyntheticShop.itemCount)
        XCTAssertEqual(small.items, SyntheticShop.itemCount)
    }

    func testJSONLinesRowsAreJSONObjects() throws {
        let (files, summary) = try write(users: 200, seed: 4, format: .jsonl, name: "j")
        let lines = try String(contentsOf: files.events, encoding: .utf8).split(separator: "\n")
        XCTAssertEqual(lines.count, summary.events)
        for line in lines.prefix(2_000) {
            let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            XCTAssertNotNil(object["user_id"] as? String)
            XCTAssertNotNil(object["occurred_at"] as? String)
        }
    }

    func testGeneratedTimesMatchTheCalendar() {
        XCTAssertEqual(UTCTime.iso8601(SyntheticShop.start), "2025-01-01T00:00:00Z")
        XCTAssertEqual(UTCTime.iso8601(951_782_400 + 86_399), "2000-02-29T23:59:59Z")
        XCTAssertEqual(UTCTime.dateText(days: -1), "1969-12-31")
        XCTAssertEqual(UTCTime.iso8601(SyntheticShop(users: 1, days: 365).end), "2025-12-31T23:59:59Z")
    }
}

/// Keeps what the writer hands over, to inspect it.
struct RecordingSink: SyntheticSink {
    var items = 0
    var customers: [SyntheticCustomer] = []
    mutating func write(item: SyntheticItem) throws { items += 1 }
    mutating func write(customer: SyntheticCustomer) throws { customers.append(customer) }
}
