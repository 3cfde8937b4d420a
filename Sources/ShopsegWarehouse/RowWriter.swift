import GRDB
import ShopsegIngest

/// Prepared insert statements for one batch, reused for every row of the file.
struct RowWriter {
    /// Users and items (upserts, small tables): GRDB statements.
    private let insertRow: Statement?
    /// Events (the big table): bound with sqlite3 calls.
    private let insertEvent: EventInsert?
    /// Rejects: bound with an explicit byte length, so a NUL byte in the raw text is kept
    /// (GRDB binds a String as a C string, which would end it at the NUL).
    private let insertReject: RawInsert
    private let batchId: Int64

    init(db: Database, target: LoadTarget, batchId: Int64) throws {
        self.batchId = batchId
        switch target {
        case .events:
            insertRow = nil
            insertEvent = try EventInsert(db: db, batchId: batchId)
        case .users:
            insertEvent = nil
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
            insertEvent = nil
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
        insertReject = try RawInsert(db: db, sql: """
            insert into load_rejects (batch_id, line_number, raw_text, reason) values (?, ?, ?, ?)
            """)
    }

    func insert(_ row: CanonicalRow, line: Int) throws {
        switch row {
        case let .event(e):
            try insertEvent!.insert(e, line: line)
        case let .user(u):
            try insertRow!.execute(arguments: [
                u.userId, batchId, u.signupAt.map(UTCTime.iso8601), u.birthDate, u.country, u.city, u.gender,
            ])
        case let .item(i):
            try insertRow!.execute(arguments: [i.itemId, batchId, i.name, i.category, i.price, i.brand])
        }
    }

    /// Inserts the rows still waiting (events are inserted in groups); call after the last row.
    func finish() throws {
        try insertEvent?.finish()
    }

    func reject(line: Int, rawText: String, reason: String) throws {
        insertReject.bind(1, batchId)
        insertReject.bind(2, line)
        insertReject.bind(3, rawText)
        insertReject.bind(4, reason)
        try insertReject.step()
    }
}
