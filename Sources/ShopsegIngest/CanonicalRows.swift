/// Which warehouse table a source file feeds.
public enum LoadTarget: String, CaseIterable, Sendable {
    case events, users, items

    /// Canonical field names of this target, in table order.
    public var fields: [String] {
        switch self {
        case .events:
            return ["user_id", "event_type", "occurred_at", "item_id", "category", "order_id",
                    "quantity", "unit_price", "amount", "rating", "review_text", "session_id"]
        case .users:
            return ["user_id", "signup_at", "birth_date", "country", "city", "gender"]
        case .items:
            return ["item_id", "name", "category", "price", "brand"]
        }
    }

    /// Fields every row of this target must have.
    public var requiredFields: [String] {
        switch self {
        case .events: return ["user_id", "event_type", "occurred_at"]
        case .users: return ["user_id"]
        case .items: return ["item_id"]
        }
    }
}

/// The canonical kinds of behaviour event.
public enum EventType: String, CaseIterable, Sendable {
    case view, cart, purchase, `return`, rating
}

/// One behaviour event, ready for the `events` table.
public struct EventRow: Sendable, Equatable {
    public var userId: String
    public var eventType: EventType
    /// Unix seconds, UTC.
    public var occurredAt: Int64
    public var itemId: String?
    public var category: String?
    public var orderId: String?
    public var quantity: Double?
    public var unitPrice: Double?
    public var amount: Double?
    public var rating: Double?
    public var reviewText: String?
    public var sessionId: String?

    public init(userId: String, eventType: EventType, occurredAt: Int64,
                itemId: String? = nil, category: String? = nil, orderId: String? = nil,
                quantity: Double? = nil, unitPrice: Double? = nil, amount: Double? = nil,
                rating: Double? = nil, reviewText: String? = nil, sessionId: String? = nil) {
        self.userId = userId; self.eventType = eventType; self.occurredAt = occurredAt
        self.itemId = itemId; self.category = category; self.orderId = orderId
        self.quantity = quantity; self.unitPrice = unitPrice; self.amount = amount
        self.rating = rating; self.reviewText = reviewText; self.sessionId = sessionId
    }
}

/// One customer, ready for the `users` table.
public struct UserRow: Sendable, Equatable {
    public var userId: String
    /// Unix seconds, UTC.
    public var signupAt: Int64?
    /// Calendar date as `yyyy-MM-dd` (no time zone).
    public var birthDate: String?
    public var country: String?
    public var city: String?
    public var gender: String?

    public init(userId: String, signupAt: Int64? = nil, birthDate: String? = nil,
                country: String? = nil, city: String? = nil, gender: String? = nil) {
        self.userId = userId; self.signupAt = signupAt; self.birthDate = birthDate
        self.country = country; self.city = city; self.gender = gender
    }
}

/// One catalogue item, ready for the `items` table.
public struct ItemRow: Sendable, Equatable {
    public var itemId: String
    public var name: String?
    public var category: String?
    public var price: Double?
    public var brand: String?

    public init(itemId: String, name: String? = nil, category: String? = nil,
                price: Double? = nil, brand: String? = nil) {
        self.itemId = itemId; self.name = name; self.category = category
        self.price = price; self.brand = brand
    }
}

/// A row for one of the three targets.
public enum CanonicalRow: Sendable, Equatable {
    case event(EventRow), user(UserRow), item(ItemRow)
}

/// What one source record became.
///
/// `line` is the 1-based physical line where the record starts (a quoted field
/// with embedded newlines makes a record span several lines).
public enum ParsedRecord: Sendable, Equatable {
    case accepted(line: Int, row: CanonicalRow)
    /// `rawText` is the record exactly as it appears in the file, without its
    /// line terminator; `reason` names the field, the source column and what was expected.
    case rejected(line: Int, rawText: String, reason: String)
}
