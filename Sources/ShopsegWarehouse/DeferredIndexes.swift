import GRDB

/// Secondary indexes of a table that a batch drops before loading into the table while it is
/// empty, and builds again after its last insert: one sorted build instead of a B-tree insert
/// per row (the first load of `events` is most of a warehouse's rows). All of it happens inside
/// the batch's transaction, so a failed batch leaves the indexes as they were.
struct DeferredIndexes {
    /// The `create index` statements to run again, as `sqlite_master` holds them.
    private let statements: [String]

    /// Drops the indexes of `table` when it has no rows; otherwise does nothing (a per-row index
    /// update into a large table costs less than rebuilding its whole index).
    static func dropIfEmpty(_ table: String, in db: Database) throws -> DeferredIndexes {
        guard try Bool.fetchOne(db, sql: "select not exists (select 1 from \(table.quotedDatabaseIdentifier))") == true else {
            return DeferredIndexes(statements: [])
        }
        // `sql is null`: indexes SQLite made for a primary key or unique constraint (not droppable).
        let rows = try Row.fetchAll(db, sql: """
            select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null order by name
            """, arguments: [table])
        for row in rows {
            let name: String = row["name"]
            try db.execute(sql: "drop index \(name.quotedDatabaseIdentifier)")
        }
        return DeferredIndexes(statements: rows.map { $0["sql"] })
    }

    /// Builds the dropped indexes again, exactly as they were defined.
    func recreate(in db: Database) throws {
        for sql in statements { try db.execute(sql: sql) }
    }
}
