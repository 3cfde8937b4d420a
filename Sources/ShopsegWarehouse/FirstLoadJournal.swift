import GRDB
import ShopsegIngest

/// The first load into an empty warehouse writes the database file directly, under SQLite's
/// rollback journal, instead of through the write-ahead log.
///
/// In WAL mode every page a batch writes goes to the log, and the checkpoint after the commit
/// copies it again into the database file: the first load of `events` (most of a warehouse's
/// bytes — 3 GB at 1M users) is written twice, and at 1M users the commit and checkpoint alone
/// took ≈ 15 s (BENCHMARKS.md, "Profiles"). Under the rollback journal, pages appended to the file
/// are not journaled, so they are written once; the batch is still one transaction (a crash leaves
/// a hot journal that the next connection rolls back).
///
/// The price: the loader holds the file exclusively while it writes, and other connections wait
/// (their busy timeout, then `database is locked`). Hence only when there is nothing to read yet:
/// `events` empty and no segmentation run. The switch needs every other connection closed; when
/// one is open (a reader, a BI tool), the batch keeps WAL — the same rows, slower. Afterwards the
/// file is back in WAL mode, as ``Warehouse`` opens it anyway.
struct FirstLoadJournal {
    /// Whether the connection was switched (and must be switched back).
    let switched: Bool

    /// Switches `pool`'s writer to the rollback journal when `target` is `events`, `events` is
    /// empty and no run exists; closes the pool's idle readers first (they would block the switch).
    static func enter(_ pool: DatabasePool, target: LoadTarget) -> FirstLoadJournal {
        guard target == .events else { return FirstLoadJournal(switched: false) }
        pool.releaseMemory()
        let switched = (try? pool.writeWithoutTransaction { db -> Bool in
            let empty = try Bool.fetchOne(db, sql: """
                select not exists (select 1 from events) and not exists (select 1 from segmentation_runs)
                """) ?? false
            guard empty else { return false }
            return try String.fetchOne(db, sql: "pragma journal_mode = delete") == "delete"
        }) ?? false   // SQLITE_BUSY: another connection is open; keep WAL
        return FirstLoadJournal(switched: switched)
    }

    /// Back to WAL (waits for readers that connected meanwhile, up to the busy timeout). Should it
    /// fail, the file stays in rollback mode until the next ``Warehouse`` opens it, which sets WAL.
    func leave(_ pool: DatabasePool) {
        guard switched else { return }
        _ = try? pool.writeWithoutTransaction { db in try db.execute(sql: "pragma journal_mode = wal") }
    }
}
