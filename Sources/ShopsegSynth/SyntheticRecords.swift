/// One behaviour event in the canonical event schema.
public struct SyntheticEvent: Sendable, Equatable {
    public enum Kind: String, Sendable { case view, cart, purchase, `return`, rating }
    public var kind: Kind
    /// Seconds since 1970-01-01T00:00:00Z.
    public var time: Int64
    public var itemId: String
    public var category: String
    public var orderId: String?
    public var quantity: Int?
    /// Unit price in cents (integers keep the text exact and the bytes deterministic).
    public var unitPriceCents: Int?
    public var rating: Int?
    public var reviewText: String?
    public var sessionId: String?

    /// `quantity × unit price` in cents, for purchases and returns.
    public var amountCents: Int? { quantity.flatMap { q in unitPriceCents.map { q * $0 } } }
}

/// One row of the users file.
public struct SyntheticUser: Sendable, Equatable {
    public var userId: String
    public var signupTime: Int64
    public var birthDate: String
    public var country: String
    public var city: String
    public var gender: String
}

/// One row of the items file.
public struct SyntheticItem: Sendable, Equatable {
    public var itemId: String
    public var name: String
    public var category: String
    public var priceCents: Int
    public var brand: String
}

/// A generated user: attributes, planted type and every event, oldest first.
public struct SyntheticCustomer: Sendable {
    public var user: SyntheticUser
    public var segment: PlantedSegment
    public var events: [SyntheticEvent]
}
