import GRDB
import GRDBSQLite
import ShopsegIngest

/// The `insert into events` of a batch, bound and stepped with sqlite3 calls on GRDB's
/// statement handle: building GRDB `StatementArguments` (an array of existentials) per row was
/// a seventh of a load's time (BENCHMARKS.md, "Profiles"). Errors are GRDB `DatabaseError`s
/// with SQLite's code and message, as `Statement.execute` throws them.
///
/// Rows are inserted ``rowsPerStatement`` at a time by one multi-row `insert … values (…), (…)`:
/// SQLite's fixed cost of running a statement (opening and closing its cursors, starting and
/// ending the statement's sub-transaction) was paid per row before, and was most of the
/// inserting thread's time (22.5M events: one `insert … select` of them all takes ≈ 9 s, one
/// statement per row ≈ 25 s). The rows keep the file's order, so `event_id` is the same. Call
/// ``finish()`` after the last row: it inserts the rows still waiting.
final class EventInsert {
    /// Rows per statement (14 parameters each).
    static let rowsPerStatement = 64
    static let columns: Int32 = 14

    private let batchId: Int64
    private let oneRow: RawInsert
    private let manyRows: RawInsert
    /// The rows waiting for a full statement (see ``Buffer``). Moved into a local variable for
    /// each row: appending to a class's stored property checks exclusive access at run time on
    /// every call (≈ 5% of the inserting thread with 14 appends per row).
    private var buffer: Buffer

    init(db: Database, batchId: Int64) throws {
        func sql(rows: Int) -> String {
            RawInsert.multiRowSQL(into: """
                events (batch_id, line_number, user_id, event_type, occurred_at, item_id, category,
                        order_id, quantity, unit_price, amount, rating, review_text, session_id)
                """, columns: Int(Self.columns), rows: rows)
        }
        oneRow = try RawInsert(db: db, sql: sql(rows: 1))
        manyRows = try RawInsert(db: db, sql: sql(rows: Self.rowsPerStatement))
        self.batchId = batchId
        buffer = Buffer(capacity: Self.rowsPerStatement * Int(Self.columns))
    }

    deinit { buffer.arena.deallocate() }

    /// Adds one event read from `line`; inserts when a statement's worth of rows is waiting.
    /// - Throws: `DatabaseError` (a constraint, a full disk, …); the statement is reset either way.
    func insert(_ e: EventRow, line: Int) throws {
        var b = Buffer.moved
        swap(&b, &buffer)
        defer { swap(&b, &buffer) }
        b.append(.integer(batchId))
        b.append(.integer(Int64(line)))
        b.append(e.userId)
        b.append(e.eventType.rawValue)
        if !b.appendISO8601(e.occurredAt) {
            b.append(UTCTime.iso8601(e.occurredAt))   // a year outside 0...9999: longer than 20 bytes
        }
        b.append(e.itemId)
        b.append(e.category)
        b.append(e.orderId)
        b.append(e.quantity)
        b.append(e.unitPrice)
        b.append(e.amount)
        b.append(e.rating)
        b.append(e.reviewText)
        b.append(e.sessionId)
        guard b.values.count == Self.rowsPerStatement * Int(Self.columns) else { return }
        try run(manyRows, b.values[...], arena: b.arena)
        b.removeAll()
    }

    /// Inserts the rows still waiting (fewer than a statement's worth), one statement each.
    func finish() throws {
        let n = Int(Self.columns)
        for start in stride(from: 0, to: buffer.values.count, by: n) {
            try run(oneRow, buffer.values[start..<start + n], arena: buffer.arena)
        }
        buffer.removeAll()
    }

    private func run(_ statement: RawInsert, _ values: ArraySlice<Value>, arena: UnsafeMutablePointer<UInt8>) throws {
        let s = statement.handle
        for (i, v) in zip(Int32(1)..., values) {
            switch v.kind {
            case .null: sqlite3_bind_null(s, i)
            case .integer: sqlite3_bind_int64(s, i, v.integer)
            case .real: sqlite3_bind_double(s, i, v.real)
            case .text:
                sqlite3_bind_text(s, i, UnsafeRawPointer(arena + v.offset).assumingMemoryBound(to: CChar.self), Int32(v.length), SQLITE_STATIC)
            }
        }
        try statement.step()
    }
}

/// One parameter: NULL, an integer, a real, or text at `offset..<offset + length` of an arena.
private struct Value {
    enum Kind: UInt8 { case null, integer, real, text }
    var kind: Kind
    var integer: Int64 = 0
    var real: Double = 0
    var offset = 0, length = 0

    static func integer(_ number: Int64) -> Value { Value(kind: .integer, integer: number) }
}

/// The parameters of waiting rows, without references (no retain or release per value), and the
/// bytes of their text, copied into `arena` (bound with `SQLITE_STATIC`: no malloc, copy and free
/// inside SQLite per text value, as `SQLITE_TRANSIENT` costs).
private struct Buffer {
    var values: [Value] = []
    var arena: UnsafeMutablePointer<UInt8>
    var arenaCapacity: Int
    var arenaUsed = 0

    init(capacity: Int) {
        values.reserveCapacity(capacity)
        arenaCapacity = 1 << 16
        arena = .allocate(capacity: arenaCapacity)
    }

    private init(empty: Void) {
        arenaCapacity = 0
        arena = UnsafeMutablePointer(bitPattern: 1)!   // never read: a placeholder while moved out
    }

    /// What stays in the class while its buffer is in a local variable.
    static var moved: Buffer { Buffer(empty: ()) }

    mutating func append(_ value: Value) { values.append(value) }
    mutating func append(_ number: Double?) { values.append(number.map { Value(kind: .real, real: $0) } ?? Value(kind: .null)) }

    /// Copies `text` into the arena and records where; `nil` is NULL.
    mutating func append(_ text: String?) {
        guard var text else { values.append(Value(kind: .null)); return }
        // Contiguous UTF-8 for native strings; bridged ones are made native once.
        text.withUTF8 { u in
            reserve(u.count)
            if let base = u.baseAddress { (arena + arenaUsed).update(from: base, count: u.count) }
            values.append(Value(kind: .text, offset: arenaUsed, length: u.count))
            arenaUsed += u.count
        }
    }

    /// Writes the 20-byte UTC form of `unixSeconds`; false (nothing written) outside years 0...9999.
    mutating func appendISO8601(_ unixSeconds: Int64) -> Bool {
        reserve(20)
        guard UTCTime.writeISO8601(unixSeconds, into: arena + arenaUsed) != nil else { return false }
        values.append(Value(kind: .text, offset: arenaUsed, length: 20))
        arenaUsed += 20
        return true
    }

    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        arenaUsed = 0
    }

    /// Makes room for `bytes` more (moving what the arena holds: nothing is bound yet).
    private mutating func reserve(_ bytes: Int) {
        guard arenaUsed + bytes > arenaCapacity else { return }
        arenaCapacity = (arenaUsed + bytes) * 2
        let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
        grown.update(from: arena, count: arenaUsed)
        arena.deallocate()
        arena = grown
    }
}
