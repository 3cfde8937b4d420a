import GRDB
import ShopsegIngest
@testable import ShopsegWarehouse
import XCTest

final class LoaderTests: XCTestCase {
    static let header = "user_id,event_type,occurred_at,item_id,category,order_id,quantity,unit_price,amount,rating,review_text,session_id\n"

    func testCountsAddUpAndRejectsKeepLineAndReason() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let file = try scratch.file("e.csv", Self.header + """
            u1,purchase,2024-01-01T00:00:00Z,,,,,,12.50,,,
            u1,purchase,2024-01-01T00:00:00Z,,,,,,12.50,,,
            u2,purchase,2024-01-02T00:00:00Z,,,,,,abc,,,
            u3,click,2024-01-03T00:00:00Z,,,,,,,,,

            """)
        let summary = try warehouse.loadCanonicalEvents(file, maxRejectRate: 0.5)
        XCTAssertEqual([summary.rowsRead, summary.rowsLoaded, summary.rowsRejected], [4, 2, 2])
        XCTAssertEqual(try warehouse.scalar("select count(*) from events") as Int?, 2, "exact repeated lines are separate purchases")
        let rejects = try warehouse.pool.read { try Row.fetchAll($0, sql: "select * from load_rejects order by line_number") }
        XCTAssertEqual(rejects.map { $0["line_number"] as Int }, [4, 5])
        XCTAssertEqual(rejects[0]["raw_text"] as String, "u2,purchase,2024-01-02T00:00:00Z,,,,,,abc,,,")
        XCTAssertTrue((rejects[0]["reason"] as String).contains("amount"), rejects[0]["reason"] as String)
        XCTAssertTrue((rejects[1]["reason"] as String).contains("click"), rejects[1]["reason"] as String)
        let batch = try warehouse.pool.read { try Row.fetchOne($0, sql: "select * from load_batches")! }
        XCTAssertEqual(batch["rows_read"] as Int, (batch["rows_loaded"] as Int) + (batch["rows_rejected"] as Int))
        XCTAssertEqual((batch["content_sha256"] as String).count, 64)
        XCTAssertEqual(summary.firstRejects.first, "\(file.path):4: \(rejects[0]["reason"] as String)")
    }

    /// Events go in `EventInsert.rowsPerStatement` rows per statement, the rest one by one:
    /// a file of several full statements and a remainder, with rejects between, loads every
    /// value of every row, in file order.
    func testEventsInsertedSeveralPerStatementKeepEveryValueAndTheFileOrder() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let rows = 3 * EventInsert.rowsPerStatement + 5
        var lines: [String] = []
        var expected: [[String]] = []
        for i in 0..<rows {
            if i % 50 == 7 { lines.append("u\(i),purchase,not a time,,,,,,,,,") }   // rejected
            let type = ["view", "cart", "purchase", "return", "rating"][i % 5]
            let time = String(format: "2024-%02d-%02dT%02d:%02d:%02dZ", 1 + i % 12, 1 + i % 28, i % 24, i % 60, (i * 7) % 60)
            let item = i % 3 == 0 ? "" : "I\(i % 17)", category = i % 4 == 0 ? "" : "cat é \(i % 5)"
            let order = type == "purchase" ? "O\(i)" : "", quantity = i % 2 == 0 ? "" : "\(i % 4)"
            let price = i % 3 == 1 ? "\(i).25" : "", amount = type == "purchase" ? "\(i).5" : type == "return" ? "-\(i)" : ""
            let rating = type == "rating" ? "\(1 + i % 5)" : ""
            // One review longer than the insert's 64 KiB text buffer: it grows mid-statement.
            let long = i == 99 ? String(repeating: "ø", count: 40_000) : ""
            let review = type == "rating" && i % 2 == 1 ? "\"fine, \"\"really\"\" \(i)\(long)\"" : ""
            let session = i % 6 == 0 ? "" : "s\(i / 3)"
            lines.append("user \(i % 40),\(type),\(time),\(item),\(category),\(order),\(quantity),\(price),\(amount),\(rating),\(review),\(session)")
            expected.append(["user \(i % 40)", type, time, item, category, order, quantity, price, amount, rating,
                             review.isEmpty ? "" : "fine, \"really\" \(i)\(long)", session])
        }
        let summary = try warehouse.loadCanonicalEvents(try scratch.file("e.csv", Self.header + lines.joined(separator: "\n") + "\n"),
                                                        maxRejectRate: 0.5)
        XCTAssertEqual(summary.rowsLoaded, rows)
        XCTAssertEqual(summary.rowsRejected, lines.count - rows)
        let loaded = try warehouse.pool.read { db in
            try Row.fetchAll(db, sql: """
                select line_number, user_id, event_type, occurred_at, item_id, category, order_id, quantity, unit_price, amount, rating,
                       review_text, session_id
                from events order by event_id
                """)
        }
        XCTAssertEqual(loaded.map { $0["line_number"] as Int }, loaded.map { $0["line_number"] as Int }.sorted(), "event_id follows the file")
        func text(_ value: DatabaseValue) -> String {
            switch value.storage {
            case .null: return ""
            case let .string(s): return s
            case let .double(d): return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : String(d)
            case let .int64(n): return String(n)
            case .blob: return "blob"
            }
        }
        let actual = loaded.map { row in (1...12).map { text(row[$0]) } }
        let normalised = expected.map { values in values.enumerated().map { j, v in
            // Numbers come back as reals: "12.50" → "12.5", "3" → "3".
            (6...9).contains(j) && !v.isEmpty ? text(Double(v)!.databaseValue) : v
        } }
        XCTAssertEqual(actual.count, normalised.count)
        for (i, (a, e)) in zip(actual, normalised).enumerated() where a != e {
            XCTFail("row \(i): \(a) != \(e)")
            break
        }
    }

    func testForeignKeysAreCheckedAgainAfterABatch() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        _ = try warehouse.loadCanonicalEvents(try scratch.file("e.csv", Self.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\nu2,jump,2024-01-01T00:00:00Z,,,,,,,,,\n"),
                                              maxRejectRate: 0.5)
        try warehouse.pool.writeWithoutTransaction { db in
            XCTAssertEqual(try Int.fetchOne(db, sql: "pragma foreign_keys"), 1)
            XCTAssertEqual(try Row.fetchAll(db, sql: "pragma foreign_key_check").count, 0, "every event and reject names its batch")
            XCTAssertThrowsError(try db.execute(sql: """
                insert into events (batch_id, line_number, user_id, event_type, occurred_at) values (99, 1, 'u', 'view', 'x')
                """), "a batch that does not exist is refused again")
        }
    }

    /// The loader compares this before and after reading: a file appended to while it loaded was
    /// recorded under the digest of other bytes (a fresh user's pass).
    func testAFileAppendedToHasAnotherFingerprint() throws {
        let scratch = try Scratch()
        let file = try scratch.file("e.csv", Self.header + "u1,view,2024-01-01T00:00:00Z,,,,,,,,,\n")
        let before = BatchLoader.fingerprint(file)
        XCTAssertNotNil(before)
        XCTAssertEqual(BatchLoader.fingerprint(file), before)
        let handle = try FileHandle(forWritingTo: file)
        try handle.seekToEnd()
        try handle.write(contentsOf: Data("u2,view,2024-01-01T00:00:00Z,,,,,,,,,\n".utf8))
        try handle.close()
        XCTAssertNotEqual(BatchLoader.fingerprint(file), before)
        XCTAssertEqual(WarehouseError.changedWhileLoading(file: "e.csv").description,
                       "e.csv changed while it was loading (is it still being written?); nothing was loaded — load it once it is complete")
    }

    func testSameContentIsRefusedUnlessForced() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let text = Self.header + "u1,purchase,2024-01-01T00:00:00Z,,,,,,1,,,\n"
        _ = try warehouse.loadCanonicalEvents(try scratch.file("a.csv", text))
        XCTAssertThrowsError(try warehouse.loadCanonicalEvents(try scratch.file("renamed.csv", text))) { error in
            guard case let WarehouseError.alreadyLoaded(_, target, batchId, _) = error else { return XCTFail("\(error)") }
            XCTAssertEqual(target, "events")
            XCTAssertEqual(batchId, 1)
        }
        XCTAssertEqual(try warehouse.scalar("select count(*) from events") as Int?, 1)
        _ = try warehouse.loadCanonicalEvents(try scratch.file("renamed.csv", text), force: true)
        XCTAssertEqual(try warehouse.scalar("select count(*) from events") as Int?, 2)
    }

    func testRejectRateAboveLimitLoadsNothing() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let file = try scratch.file("e.csv", Self.header + """
            u1,purchase,2024-01-01T00:00:00Z,,,,,,1,,,
            ,purchase,2024-01-01T00:00:00Z,,,,,,1,,,

            """)
        XCTAssertThrowsError(try warehouse.loadCanonicalEvents(file, maxRejectRate: 0.1)) { error in
            guard case let WarehouseError.rejectRateExceeded(_, rejected, read, limit, firstRejects) = error else { return XCTFail("\(error)") }
            XCTAssertEqual([rejected, read], [1, 2])
            XCTAssertEqual(limit, 0.1)
            XCTAssertTrue(firstRejects[0].hasPrefix("\(file.path):3: "), firstRejects[0])
        }
        for table in ["load_batches", "load_rejects", "events"] {
            XCTAssertEqual(try warehouse.scalar("select count(*) from \(table)") as Int?, 0, table)
        }
    }

    func testARejectKeepsItsExactTextThroughANULByte() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let bad = "u2,purchase,2024-01-02T00:00:00Z,,bo\u{0}ok,,,,1,,,"
        let file = try scratch.file("e.csv", Self.header + "u1,purchase,2024-01-01T00:00:00Z,,,,,,1,,,\n" + bad + "\n")
        _ = try warehouse.loadCanonicalEvents(file, maxRejectRate: 0.5)
        // Read as bytes: GRDB (and C callers) read text up to its first NUL.
        let raw = try warehouse.pool.read { try Data.fetchOne($0, sql: "select cast(raw_text as blob) from load_rejects")! }
        XCTAssertEqual(Array(raw), Array(bad.utf8), "the bytes after the NUL are kept")
    }

    func testRejectRateMessageGroupsThousands() {
        let error = WarehouseError.rejectRateExceeded(file: "retail.csv", rejected: 135_080, read: 541_909, limit: 0.01,
                                                      firstRejects: [])
        XCTAssertTrue("\(error)".hasPrefix("retail.csv: 135,080 of 541,909 rows rejected (24.93%)"), "\(error)")
    }

    func testMissingFileFailsBeforeWriting() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        XCTAssertThrowsError(try warehouse.loadCanonicalEvents(scratch.url.appendingPathComponent("absent.csv"))) { error in
            XCTAssertTrue(error is IngestError, "\(error)")
            XCTAssertTrue("\(error)".contains("absent.csv"), "\(error)")
        }
        XCTAssertEqual(try warehouse.scalar("select count(*) from load_batches") as Int?, 0)
    }

    func testUsersAndItemsAreUpserted() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let users = { (name: String, text: String) in
            try warehouse.load(file: try scratch.file(name, text), options: LoadOptions(
                target: .users, mapping: .canonical(target: .users, format: .csv, delimiter: .comma)))
        }
        _ = try users("u1.csv", "user_id,country,birth_date\nu1,GB,1980-05-17\nu2,FR,\n")
        _ = try users("u2.csv", "user_id,country,birth_date\nu1,DE,\n")
        let row = try warehouse.pool.read { try Row.fetchOne($0, sql: "select * from users where user_id = 'u1'")! }
        XCTAssertEqual(row["country"] as String, "DE")
        XCTAssertEqual(row["birth_date"] as String, "1980-05-17", "an empty value keeps what was known")
        XCTAssertEqual(try warehouse.scalar("select count(*) from users") as Int?, 2)
    }
}
