import Foundation
import GRDB

/// Secondary indexes that a first load into an empty table drops, and that the next `build`,
/// `assign` or `init` builds (``Warehouse/buildDeferredIndexes()``).
///
/// Why: per row, an index costs a B-tree insert; after the fact, one sorted build. And the load
/// is not where the index is needed — the feature views are. Building `events_by_user` was a
/// fifth of a first load's inserting thread at 100k users (≈ 1 s) and 15–20 s at 1M, where the
/// sort spills to temporary files; the build that follows reads the events through it anyway.
/// The drop and the record of it (`deferred_indexes`) are in the batch's transaction, so a
/// failed batch leaves the index as it was.
enum DeferredIndexes {
    /// Drops the indexes of `table` when it has no rows, recording each definition in
    /// `deferred_indexes`; otherwise (or without that table) does nothing (a per-row index update into a large table
    /// costs less than rebuilding its whole index).
    static func dropIfEmpty(_ table: String, in db: Database) throws {
        // A --sql-dir from before migration 0008 has nowhere to record them: keep the indexes.
        guard try db.tableExists("deferred_indexes"),
              try Bool.fetchOne(db, sql: "select not exists (select 1 from \(table.quotedDatabaseIdentifier))") == true else {
            return
        }
        // `sql is null`: indexes SQLite made for a primary key or unique constraint (not droppable).
        let rows = try Row.fetchAll(db, sql: """
            select name, sql from sqlite_master where type = 'index' and tbl_name = ? and sql is not null order by name
            """, arguments: [table])
        for row in rows {
            let name: String = row["name"]
            try db.execute(sql: "drop index \(name.quotedDatabaseIdentifier)")
            try db.execute(sql: """
                insert or replace into deferred_indexes (name, table_name, sql, deferred_at) values (?, ?, ?, ?)
                """, arguments: [name, table, row["sql"] as String, Timestamps.iso(Date())])
        }
    }

    /// Names of the indexes waiting to be built.
    static func pending(in db: Database) throws -> [String] {
        guard try db.tableExists("deferred_indexes") else { return [] }
        return try String.fetchAll(db, sql: "select name from deferred_indexes order by name")
    }

    /// Builds every deferred index (skipping one that exists again, e.g. made by hand) and clears
    /// the record, in one transaction. Returns the names built.
    static func build(in db: Database) throws -> [String] {
        let rows = try Row.fetchAll(db, sql: "select name, sql from deferred_indexes order by name")
        // SQLite's sorter may use a helper thread and 64 MiB before it spills to temporary files:
        // at 1M users (22.5M events) 16.7 → 12.4 s for events_by_user, 270 MB at the peak, freed after.
        let cachePages = try Int.fetchOne(db, sql: "pragma cache_size") ?? -2000
        let threads = try Int.fetchOne(db, sql: "pragma threads") ?? 0
        try db.execute(sql: "pragma cache_size = -65536")
        try db.execute(sql: "pragma threads = 2")
        defer {
            try? db.execute(sql: "pragma cache_size = \(cachePages)")
            try? db.execute(sql: "pragma threads = \(threads)")
        }
        var built: [String] = []
        for row in rows {
            let name: String = row["name"]
            if try Bool.fetchOne(db, sql: "select exists (select 1 from sqlite_master where type = 'index' and name = ?)",
                                 arguments: [name]) != true {
                try db.execute(sql: row["sql"])
                built.append(name)
            }
        }
        try db.execute(sql: "delete from deferred_indexes")
        return built
    }
}

extension Warehouse {
    /// Indexes a first load deferred and no build, assign or init has built yet.
    public func deferredIndexes() throws -> [String] {
        try pool.read { try DeferredIndexes.pending(in: $0) }
    }

    /// Builds the indexes a first load deferred (``DeferredIndexes``): at 1M users `events_by_user`
    /// takes ≈ 8 s (11 s when a run is already published or another connection is open: then the
    /// index is written through the WAL, see ``RollbackJournal``). Does nothing when none are.
    /// Called by build, assign and init.
    /// - Returns: the names built.
    @discardableResult
    public func buildDeferredIndexes() throws -> [String] {
        guard try !deferredIndexes().isEmpty else { return [] }
        let journal = RollbackJournal.enterBeforeAnyPublish(pool)
        defer { journal.leave(pool) }
        return try pool.write { try DeferredIndexes.build(in: $0) }
    }
}
