import GRDB
import GRDBSQLite
import ShopsegIngest

/// The prepared `insert into events` of a batch, bound and stepped with sqlite3 calls on GRDB's
/// statement handle: building GRDB `StatementArguments` (an array of existentials) per row was
/// a seventh of a load's time (BENCHMARKS.md, "Profiles"). Errors are GRDB `DatabaseError`s
/// with SQLite's code and message, as `Statement.execute` throws them.
final class EventInsert {
    private let statement: RawInsert
    private let batchId: Int64
    /// The row's text values, copied here and bound with `SQLITE_STATIC`: no malloc, copy and
    /// free inside SQLite per text value (`SQLITE_TRANSIENT`). Valid until the next row rebinds
    /// every parameter; grown (before any bind of a row) when a row needs more.
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity = 4096

    init(db: Database, batchId: Int64) throws {
        statement = try RawInsert(db: db, sql: """
            insert into events (batch_id, line_number, user_id, event_type, occurred_at, item_id, category,
                                order_id, quantity, unit_price, amount, rating, review_text, session_id)
            values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        self.batchId = batchId
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit { arena.deallocate() }

    /// Inserts one event read from `line`.
    /// - Throws: `DatabaseError` (a constraint, a full disk, …); the statement is reset either way.
    func insert(_ e: EventRow, line: Int) throws {
        let s = statement.handle
        var time: String?   // only for a year outside 0...9999, which the 20-byte form cannot hold
        if UTCTime.writeISO8601(e.occurredAt, into: arena) == nil { time = UTCTime.iso8601(e.occurredAt) }
        func length(_ t: String?) -> Int { t?.utf8.count ?? 0 }
        reserve(20 + e.userId.utf8.count + e.eventType.rawValue.utf8.count + length(time) + length(e.itemId)
                + length(e.category) + length(e.orderId) + length(e.reviewText) + length(e.sessionId))
        if time == nil { sqlite3_bind_text(s, 5, cText(0), 20, SQLITE_STATIC) }
        var used = 20
        sqlite3_bind_int64(s, 1, batchId)
        sqlite3_bind_int64(s, 2, Int64(line))
        bind(s, 3, e.userId, &used)
        bind(s, 4, e.eventType.rawValue, &used)
        if let time { bind(s, 5, time, &used) }
        bind(s, 6, e.itemId, &used)
        bind(s, 7, e.category, &used)
        bind(s, 8, e.orderId, &used)
        statement.bind(9, e.quantity)
        statement.bind(10, e.unitPrice)
        statement.bind(11, e.amount)
        statement.bind(12, e.rating)
        bind(s, 13, e.reviewText, &used)
        bind(s, 14, e.sessionId, &used)
        try statement.step()
    }

    /// Makes the arena hold `bytes` (keeping the 20 time bytes already written at its start).
    private func reserve(_ bytes: Int) {
        guard bytes > arenaCapacity else { return }
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes * 2)
        grown.update(from: arena, count: 20)
        arena.deallocate()
        arena = grown
        arenaCapacity = bytes * 2
    }

    private func cText(_ offset: Int) -> UnsafePointer<CChar> {
        UnsafeRawPointer(arena + offset).assumingMemoryBound(to: CChar.self)
    }

    /// Copies `text` into the arena at `used` and binds it there; `nil` binds NULL.
    private func bind(_ s: SQLiteStatement, _ i: Int32, _ text: String?, _ used: inout Int) {
        guard var text else { sqlite3_bind_null(s, i); return }
        let at = used
        // Contiguous UTF-8 for native strings; bridged ones are made native once.
        let count = text.withUTF8 { u in
            if let base = u.baseAddress { (arena + at).update(from: base, count: u.count) }
            return u.count
        }
        sqlite3_bind_text(s, i, cText(at), Int32(count), SQLITE_STATIC)
        used += count
    }
}
