import GRDB
import GRDBSQLite

/// A prepared statement bound and stepped with sqlite3 calls on GRDB's statement handle, for
/// tables written row by row in bulk (events at load, a run's per-user rows at publish):
/// building GRDB `StatementArguments` (an array of existentials) per row costs more than the
/// insert itself (BENCHMARKS.md, "Profiles"). Parameters are 1-based, as in SQLite; `nil` binds
/// NULL. Errors are GRDB `DatabaseError`s with SQLite's code and message, as
/// `Statement.execute` throws them.
struct RawInsert {
    let statement: Statement
    private let connection: SQLiteConnection?

    init(db: Database, sql: String) throws {
        statement = try db.makeStatement(sql: sql)
        connection = db.sqliteConnection
    }

    var handle: SQLiteStatement { statement.sqliteStatement }

    func bind(_ i: Int32, _ number: Int64?) {
        if let number { sqlite3_bind_int64(handle, i, number) } else { sqlite3_bind_null(handle, i) }
    }

    func bind(_ i: Int32, _ number: Int?) { bind(i, number.map(Int64.init)) }

    func bind(_ i: Int32, _ number: Double?) {
        if let number { sqlite3_bind_double(handle, i, number) } else { sqlite3_bind_null(handle, i) }
    }

    /// Binds a copy of `text` (`SQLITE_TRANSIENT`), valid whatever happens to the string.
    func bind(_ i: Int32, _ text: String?) {
        guard var text else { sqlite3_bind_null(handle, i); return }
        text.withUTF8 { u in
            guard let base = u.baseAddress else { _ = sqlite3_bind_text(handle, i, "", 0, SQLITE_STATIC); return }
            _ = sqlite3_bind_text(handle, i, UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self), Int32(u.count), SQLITE_TRANSIENT)
        }
    }

    /// Runs the bound row and resets the statement (either way).
    /// - Throws: `DatabaseError` (a constraint, a full disk, …).
    func step() throws {
        let code = sqlite3_step(handle)
        sqlite3_reset(handle)
        guard code == SQLITE_DONE else {
            throw DatabaseError(resultCode: ResultCode(rawValue: code),
                                message: connection.map { String(cString: sqlite3_errmsg($0)) }, sql: statement.sql)
        }
    }
}

extension RawInsert {
    /// Rows per statement of ``insertRows(db:into:columns:count:bind:)``.
    static let rowsPerStatement = 64

    /// `insert into <tableAndColumns> values (?, …), (?, …), …`: `rows` groups of `columns` parameters.
    static func multiRowSQL(into tableAndColumns: String, columns: Int, rows: Int) -> String {
        let row = "(" + Array(repeating: "?", count: columns).joined(separator: ", ") + ")"
        return "insert into \(tableAndColumns) values " + Array(repeating: row, count: rows).joined(separator: ", ")
    }

    /// Inserts `count` rows into `tableAndColumns` (`"t (a, b, …)"`, `columns` of them),
    /// ``rowsPerStatement`` rows per multi-row `insert … values (…), (…)` and the remainder in one
    /// more: SQLite's fixed cost of running a statement, paid per row, was most of writing a run's
    /// per-user rows (see ``EventInsert``). `bind(statement, first, row)` binds row `row`'s values
    /// at parameters `first`, `first + 1`, … (`first` is 1-based, as in SQLite).
    static func insertRows(db: Database, into tableAndColumns: String, columns: Int, count: Int,
                           bind: (RawInsert, Int32, Int) -> Void) throws {
        func statement(rows: Int) throws -> RawInsert {
            try RawInsert(db: db, sql: multiRowSQL(into: tableAndColumns, columns: columns, rows: rows))
        }
        let full = count / rowsPerStatement, rest = count % rowsPerStatement
        if full > 0 {
            let many = try statement(rows: rowsPerStatement)
            for chunk in 0..<full {
                for k in 0..<rowsPerStatement { bind(many, Int32(k * columns + 1), chunk * rowsPerStatement + k) }
                try many.step()
            }
        }
        if rest > 0 {
            let tail = try statement(rows: rest)
            for k in 0..<rest { bind(tail, Int32(k * columns + 1), full * rowsPerStatement + k) }
            try tail.step()
        }
    }
}

/// `SQLITE_STATIC` (a null destructor): SQLite reads the bytes where they are, at the step.
/// The C macros are casts Swift does not import.
let SQLITE_STATIC: sqlite3_destructor_type? = nil
/// `SQLITE_TRANSIENT` (-1): SQLite copies the bytes at the bind.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
