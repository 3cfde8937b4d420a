import GRDB
import GRDBSQLite
import ShopsegIngest

/// The prepared `insert into events` of a batch, bound and stepped with sqlite3 calls on GRDB's
/// statement handle: building GRDB `StatementArguments` (an array of existentials) per row was
/// a seventh of a load's time (BENCHMARKS.md, "Profiles"). Errors are GRDB `DatabaseError`s
/// with SQLite's code and message, as `Statement.execute` throws them.
final class EventInsert {
    private let statement: Statement
    private let connection: SQLiteConnection?
    private let batchId: Int64
    /// `occurred_at` text, formatted here per row (20 bytes, no allocation).
    private let timeText = UnsafeMutablePointer<UInt8>.allocate(capacity: 20)

    init(db: Database, batchId: Int64) throws {
        statement = try db.makeStatement(sql: """
            insert into events (batch_id, line_number, user_id, event_type, occurred_at, item_id, category,
                                order_id, quantity, unit_price, amount, rating, review_text, session_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        connection = db.sqliteConnection
        self.batchId = batchId
    }

    deinit { timeText.deallocate() }

    /// Inserts one event read from `line`.
    /// - Throws: `DatabaseError` (a constraint, a full disk, …); the statement is reset either way.
    func insert(_ e: EventRow, line: Int) throws {
        let s = statement.sqliteStatement
        sqlite3_bind_int64(s, 1, batchId)
        sqlite3_bind_int64(s, 2, Int64(line))
        bind(s, 3, e.userId)
        bind(s, 4, e.eventType.rawValue)
        if let n = UTCTime.writeISO8601(e.occurredAt, into: timeText) {
            sqlite3_bind_text(s, 5, UnsafeRawPointer(timeText).assumingMemoryBound(to: CChar.self), Int32(n), SQLITE_TRANSIENT)
        } else {
            bind(s, 5, UTCTime.iso8601(e.occurredAt))
        }
        bind(s, 6, e.itemId)
        bind(s, 7, e.category)
        bind(s, 8, e.orderId)
        bind(s, 9, e.quantity)
        bind(s, 10, e.unitPrice)
        bind(s, 11, e.amount)
        bind(s, 12, e.rating)
        bind(s, 13, e.reviewText)
        bind(s, 14, e.sessionId)
        let code = sqlite3_step(s)
        sqlite3_reset(s)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
        }
    }

    private func bind(_ s: SQLiteStatement, _ i: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(s, i); return }
        // Contiguous UTF-8 for native strings; bridged ones are made native once.
        text.withUTF8 { u in
            guard let base = u.baseAddress else { _ = sqlite3_bind_text(s, i, "", 0, SQLITE_TRANSIENT); return }
            _ = sqlite3_bind_text(s, i, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self),
                                  Int32(u.count), SQLITE_TRANSIENT)
        }
    }

    private func bind(_ s: SQLiteStatement, _ i: Int32, _ number: Double?) {
        if let number { sqlite3_bind_double(s, i, number) } else { sqlite3_bind_null(s, i) }
    }
}

/// `SQLITE_TRANSIENT`: SQLite copies the bytes before the bind returns (the Swift buffer is
/// only valid inside `withUTF8`). The C macro is a cast Swift does not import.
private let SQLITE_TRANSIENT = unsafeBitCast(OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)
