/// Receives generated rows, one user at a time. ``SyntheticWriter/generate(into:progress:)``
/// calls ``write(item:)`` for every catalog item, then ``write(customer:)`` once per user, in
/// user order; the customer (and its events) is dropped after the call, so nothing but the
/// catalog and one user's events is ever held.
public protocol SyntheticSink {
    mutating func write(item: SyntheticItem) throws
    mutating func write(customer: SyntheticCustomer) throws
}

/// What a generation produced.
public struct GenerationSummary: Sendable, Equatable, Codable {
    public var users = 0
    public var items = 0
    public var events = 0
    /// Events per event type (`view`, `cart`, `purchase`, `return`, `rating`).
    public var eventsByType: [String: Int] = [:]
    /// Users per planted type (the raw values of ``PlantedSegment``).
    public var usersBySegment: [String: Int] = [:]
    /// The most events held at once: one user's events, never more.
    public var maxEventsHeld = 0
}

/// Streams a ``SyntheticShop`` to a sink or to files.
///
/// ```swift
/// let writer = SyntheticWriter(shop: SyntheticShop(users: 10_000, seed: 1), format: .csv)
/// let summary = try writer.write(to: SyntheticFiles(events: url, format: .csv))
/// ```
///
/// Memory is constant in the number of users: the catalog (``SyntheticShop/itemCount`` items)
/// plus one user's events, whose count does not grow with the number of users.
public struct SyntheticWriter: Sendable {
    public let shop: SyntheticShop
    public let format: SyntheticFormat

    public init(shop: SyntheticShop, format: SyntheticFormat = .csv) {
        self.shop = shop
        self.format = format
    }

    /// Generates every item and user into `sink`, in order.
    /// - Parameter progress: called with the number of users written, every 10,000 users and at the end.
    @discardableResult
    public func generate(into sink: inout some SyntheticSink, progress: ((Int) -> Void)? = nil) throws -> GenerationSummary {
        var summary = GenerationSummary()
        for item in shop.items { try sink.write(item: item) }
        summary.items = shop.items.count
        for index in 0..<shop.users {
            let customer = shop.customer(index)
            summary.users += 1
            summary.events += customer.events.count
            summary.maxEventsHeld = max(summary.maxEventsHeld, customer.events.count)
            summary.usersBySegment[customer.segment.rawValue, default: 0] += 1
            for event in customer.events { summary.eventsByType[event.kind.rawValue, default: 0] += 1 }
            try sink.write(customer: customer)
            if (index + 1) % 10_000 == 0 || index + 1 == shop.users { progress?(index + 1) }
        }
        return summary
    }

    /// Writes the four files (events, users, items, truth) in ``format``.
    @discardableResult
    public func write(to files: SyntheticFiles, progress: ((Int) -> Void)? = nil) throws -> GenerationSummary {
        var sink = try FileSink(files: files, format: format)
        let summary = try generate(into: &sink, progress: progress)
        try sink.close()
        return summary
    }
}

/// Writes rows to the four files through fixed-size buffers.
struct FileSink: SyntheticSink {
    let format: SyntheticFormat
    let events, users, items, truth: BufferedTextFile

    init(files: SyntheticFiles, format: SyntheticFormat) throws {
        self.format = format
        events = try BufferedTextFile(files.events)
        users = try BufferedTextFile(files.users)
        items = try BufferedTextFile(files.items)
        truth = try BufferedTextFile(files.truth)
        for (file, columns) in [(events, RowText.eventColumns), (users, RowText.userColumns),
                                (items, RowText.itemColumns), (truth, RowText.truthColumns)] {
            if let header = RowText.header(columns, format: format) { try file.append { $0.append(header) } }
        }
    }

    mutating func write(item: SyntheticItem) throws {
        try items.append { RowText.item(item, format: format, into: &$0) }
    }

    mutating func write(customer: SyntheticCustomer) throws {
        let userId = customer.user.userId
        try users.append { RowText.user(customer.user, format: format, into: &$0) }
        try truth.append { RowText.truth(userId: userId, segment: customer.segment, format: format, into: &$0) }
        try events.append { out in
            for event in customer.events { RowText.event(event, userId: userId, format: format, into: &out) }
        }
    }

    func close() throws {
        for file in [events, users, items, truth] { try file.close() }
    }
}
