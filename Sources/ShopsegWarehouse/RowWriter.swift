import GRDB
import ShopsegIngest

/// Prepared insert statements for one batch, reused for every row of the file.
struct RowWriter {
    private let insertRow: Statement
    private let insertReject: Statement
    private let batchId: Int64

    init(db: Database, target: LoadTarget, batchId: Int64) throws {
        self.batchId = batchId
        switch target {
        case .events:
            insertRow = try db.makeStatement(sql: """
                insert into events (batch_id, line_number, user_id, event_type, occurred_at, item_id, category,
                                    order_id, quantity, unit_price, amount, rating, review_text, session_id)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        case .users:
            // A later file's values win; columns it leaves empty keep what was known.
            insertRow = try db.makeStatement(sql: """
                insert into users (user_id, batch_id, signup_at, birth_date, country, city, gender)
                values (?, ?, ?, ?, ?, ?, ?)
                on conflict (user_id) do update set
                    batch_id = excluded.batch_id,
                    signup_at = coalesce(excluded.signup_at, signup_at),
                    birth_date = coalesce(excluded.birth_date, birth_date),
                    country = coalesce(excluded.country, country),
                    city = coalesce(excluded.city, city),
                    gender = coalesce(excluded.gender, gender)
                """)
        case .items:
            insertRow = try db.makeStatement(sql: """
                insert into items (item_id, batch_id, name, category, price, brand)
                values (?, ?, ?, ?, ?, ?)
                on conflict (item_id) do update set
                    batch_id = excluded.batch_id,
                    name = coalesce(excluded.name, name),
                    category = coalesce(excluded.category, category),
                    price = coalesce(excluded.price, price),
                    brand = coalesce(excluded.brand, brand)
                """)
        }
        insertReject = try db.makeStatement(sql: """
            insert into load_rejects (batch_id, line_number, raw_text, reason) values (?, ?, ?, ?)
            """)
    }

    func insert(_ row: CanonicalRow, line: Int) throws {
        switch row {
        case let .event(e):
            try insertRow.execute(arguments: [
                batchId, line, e.userId, e.eventType.rawValue, UTCTime.iso8601(e.occurredAt), e.itemId, e.category,
                e.orderId, e.quantity, e.unitPrice, e.amount, e.rating, e.reviewText, e.sessionId,
            ])
        case let .user(u):
            try insertRow.execute(arguments: [
                u.userId, batchId, u.signupAt.map(UTCTime.iso8601), u.birthDate, u.country, u.city, u.gender,
            ])
        case let .item(i):
            try insertRow.execute(arguments: [i.itemId, batchId, i.name, i.category, i.price, i.brand])
        }
    }

    func reject(line: Int, rawText: String, reason: String) throws {
        try insertReject.execute(arguments: [batchId, line, rawText, reason])
    }
}
