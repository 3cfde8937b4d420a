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

/// `SQLITE_STATIC` (a null destructor): SQLite reads the bytes where they are, at the step.
/// The C macros are casts Swift does not import.
let SQLITE_STATIC: sqlite3_destructor_type? = nil
/// `SQLITE_TRANSIENT` (-1): SQLite copies the bytes at the bind.
let SQLITE_TRANSIENT = unsafeBitCast(-1, to: sqlite3_destructor_type.self)
