import Foundation
import GRDB
import XCTest

/// A first load into an empty warehouse writes under the rollback journal (RollbackJournal):
/// a process killed while its pages are already in the file leaves the warehouse as it was,
/// in WAL mode; the next first load defers its index to the build.
final class FirstLoadProcessTests: XCTestCase {
    private var folder: URL!
    private var shopseg: ShopsegProcess { ShopsegProcess(folder: folder) }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-firstload-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    private func size(_ url: URL) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: url.path))?[.size] as? Int) ?? 0
    }

    func testAFirstLoadKilledMidWriteLeavesAnEmptyWarehouseInWALMode() throws {
        let events = folder.appendingPathComponent("events.csv")
        XCTAssertEqual(try shopseg.run(["generate", "--users", "10000", "--seed", "1", "--out", events.path]).status, 0)
        XCTAssertEqual(try shopseg.run(["init"]).status, 0)
        let initial = size(shopseg.database)

        let load = try shopseg.start(["load", "events", events.path])
        defer { if load.isRunning { kill(load.processIdentifier, SIGKILL) } }
        let journal = URL(fileURLWithPath: shopseg.database.path + "-journal")
        let deadline = Date().addingTimeInterval(120)
        // Pages spilled from the cache into the file itself: the rollback journal is in use.
        while load.isRunning, !(size(shopseg.database) > initial + (1 << 20) && size(journal) > 0), Date() < deadline { usleep(5_000) }
        XCTAssertTrue(load.isRunning, "the load ended before its pages reached the file; use a bigger file")
        kill(load.processIdentifier, SIGKILL)
        load.waitUntilExit()

        let status = try shopseg.run(["status", "--json"])   // opens the warehouse: the hot journal is rolled back
        XCTAssertEqual(status.status, 0, status.stderr)
        let counts = try DatabaseQueue(path: shopseg.database.path).read { db in
            try ["events", "load_batches", "load_rejects"].map { try Int.fetchOne(db, sql: "select count(*) from \($0)")! }
        }
        XCTAssertEqual(counts, [0, 0, 0], "nothing of the killed batch is visible")
        let integrity = try DatabaseQueue(path: shopseg.database.path).read { try String.fetchOne($0, sql: "pragma integrity_check") }
        XCTAssertEqual(integrity, "ok")

        let sample = CLITests.root.appendingPathComponent("examples/sample/events.csv").path
        let again = try shopseg.run(["load", "events", sample, "--json"])
        XCTAssertEqual(again.status, 0, again.stderr)
        let mode = try DatabaseQueue(path: shopseg.database.path).read { try String.fetchOne($0, sql: "pragma journal_mode") }
        XCTAssertEqual(mode, "wal", "the next load left the file in WAL mode")
        let deferred = try DatabaseQueue(path: shopseg.database.path).read { db in
            try String.fetchAll(db, sql: "select name from deferred_indexes")
        }
        XCTAssertEqual(deferred, ["events_by_user"], "the first load deferred the index")
        XCTAssertTrue(try shopseg.run(["status"]).stdout.contains("deferred indexes: events_by_user (built by the next build, assign or init)"))
        let built = try shopseg.run(["build", "--k", "3"])
        XCTAssertEqual(built.status, 0, built.stderr)
        XCTAssertTrue(built.stderr.contains("build: indexing events (once, after a first load)"), built.stderr)
        let indexes = try DatabaseQueue(path: shopseg.database.path).read { db in
            try String.fetchAll(db, sql: "select name from sqlite_master where type = 'index' and tbl_name = 'events' and sql is not null")
                + String.fetchAll(db, sql: "select name from deferred_indexes")
        }
        XCTAssertEqual(indexes, ["events_by_user"], "built by the build, no longer deferred")
    }
}
