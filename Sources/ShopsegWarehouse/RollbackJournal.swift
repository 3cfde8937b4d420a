import GRDB
import ShopsegIngest

/// The first load into an empty warehouse, and the one-time build of the indexes it deferred
/// before anything is published, write the database file directly, under SQLite's rollback
/// journal, instead of through the write-ahead log.
///
/// In WAL mode every page a transaction writes goes to the log, and the checkpoint after the
/// commit copies it again into the database file: the first load of `events` (most of a
/// warehouse's bytes — 3 GB at 1M users) is written twice, and at 1M users the commit and
/// checkpoint alone took ≈ 15 s (BENCHMARKS.md, "Profiles"); `events_by_user` (1 GB at 1M users)
/// took 11.4 s to build under WAL and 8.2 s under the rollback journal. Under the rollback
/// journal, pages appended to the file are not journaled, so they are written once; the work is
/// still one transaction (a crash leaves a hot journal that the next connection rolls back).
///
/// The price: the writer holds the file exclusively while it writes, and other connections wait
/// (their busy timeout, then `database is locked`). Hence only when there is nothing published
/// to read yet (a first load: `events` empty and no segmentation run; the deferred indexes: no
/// published run). The switch needs every other connection closed; when one is open (a reader,
/// a BI tool), the work keeps WAL — the same result, slower. Afterwards the file is back in WAL
/// mode, as ``Warehouse`` opens it anyway.
struct RollbackJournal {
    /// Whether the connection was switched (and must be switched back).
    let switched: Bool

    /// For a load: switches when `target` is `events`, `events` is empty and no run exists.
    static func enter(_ pool: DatabasePool, target: LoadTarget) -> RollbackJournal {
        guard target == .events else { return RollbackJournal(switched: false) }
        return enter(pool, when: "not exists (select 1 from events) and not exists (select 1 from segmentation_runs)")
    }

    /// For building deferred indexes: switches when no run has been published.
    static func enterBeforeAnyPublish(_ pool: DatabasePool) -> RollbackJournal {
        enter(pool, when: "not exists (select 1 from published_run)")
    }

    /// Switches `pool`'s writer to the rollback journal when `condition` (an SQL expression) holds;
    /// closes the pool's idle readers first (they would block the switch).
    private static func enter(_ pool: DatabasePool, when condition: String) -> RollbackJournal {
        pool.releaseMemory()
        let switched = (try? pool.writeWithoutTransaction { db -> Bool in
            guard try Bool.fetchOne(db, sql: "select \(condition)") == true else { return false }
            return try String.fetchOne(db, sql: "pragma journal_mode = delete") == "delete"
        }) ?? false   // SQLITE_BUSY: another connection is open; keep WAL
        return RollbackJournal(switched: switched)
    }

    /// Back to WAL (waits for readers that connected meanwhile, up to the busy timeout). Should it
    /// fail, the file stays in rollback mode until the next ``Warehouse`` opens it, which sets WAL.
    func leave(_ pool: DatabasePool) {
        guard switched else { return }
        _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "pragma journal_mode = wal") }
    }
}
