import Foundation
import GRDB
@testable import ShopsegWarehouse
import XCTest

final class CampaignTests: XCTestCase {
    // MARK: Header

    func testHeaderIsParsed() throws {
        let text = """
            -- Win-back coupon for customers slipping away.
            --
            -- id: winback_coupon
            -- name: Win-back coupon
            -- channel: email
            -- offer: 15% off: the next order
            -- priority: -5
            -- holdout_pct: 2.5
            -- max_users: 5000
            --
            -- Who: At Risk customers. See https://example.org/rfm
            -- Why: cheaper than a new customer.

            select user_id
            from current_user_rfm_scores -- trailing comments are SQL
            """
        let file = try CampaignFile(parsing: text, file: "queries/campaigns/winback.sql")
        XCTAssertEqual(file.id, "winback_coupon")
        XCTAssertEqual(file.name, "Win-back coupon")
        XCTAssertEqual(file.channel, "email")
        XCTAssertEqual(file.offer, "15% off: the next order")
        XCTAssertEqual(file.priority, -5)
        XCTAssertEqual(file.holdoutPct, 2.5)
        XCTAssertEqual(file.maxUsers, 5000)
        XCTAssertEqual(file.notes, """
            Win-back coupon for customers slipping away.

            Who: At Risk customers. See https://example.org/rfm
            Why: cheaper than a new customer.
            """)
        XCTAssertEqual(file.sqlLine, 14)
        XCTAssertEqual(file.sql, "select user_id\nfrom current_user_rfm_scores -- trailing comments are SQL")
        XCTAssertEqual(file.file, "queries/campaigns/winback.sql")
        XCTAssertEqual(file.sha256.count, 64)

        let minimal = try CampaignFile(parsing: header(id: "a") + "select 1 as user_id", file: "a.sql")
        XCTAssertNil(minimal.maxUsers)
        XCTAssertEqual(minimal.notes, "")
    }

    func testHeaderErrorsNameFileAndLine() {
        let base = ["-- id: a", "-- name: A", "-- channel: email", "-- offer: o", "-- priority: 1", "-- holdout_pct: 10"]
        func check(_ lines: [String], line: Int?, _ message: String, file: StaticString = #filePath, at: UInt = #line) {
            let text = (lines + ["select 1 as user_id"]).joined(separator: "\n")
            XCTAssertThrowsError(try CampaignFile(parsing: text, file: "c.sql"), file: file, line: at) { error in
                XCTAssertEqual(error as? WarehouseError, .campaign(file: "c.sql", line: line, message: message), file: file, line: at)
            }
        }
        check(Array(base.dropFirst(2)) + ["-- name: A"], line: nil,
              "missing setting 'id' (a header sets id, name, channel, offer, priority, holdout_pct, and optionally max_users, "
              + "as `-- key: value` comment lines before the SELECT)")
        check(base + ["-- holdout: 5"], line: 7,
              "unknown setting 'holdout' (settings: id, name, channel, offer, priority, holdout_pct, max_users; "
              + "free comment lines must not start with a lower-case word and a colon)")
        check(base + ["--", "-- channel: push"], line: 8, "setting 'channel' given twice (first on line 3)")
        check(base.map { $0 == "-- priority: 1" ? "-- priority: high" : $0 }, line: 5, "priority 'high' is not an integer")
        check(base.map { $0 == "-- priority: 1" ? "-- priority: 1.5" : $0 }, line: 5, "priority '1.5' is not an integer")
        check(base.map { $0 == "-- holdout_pct: 10" ? "-- holdout_pct: 150" : $0 }, line: 6, "holdout_pct 150 is outside 0–100")
        check(base.map { $0 == "-- holdout_pct: 10" ? "-- holdout_pct: -1" : $0 }, line: 6, "holdout_pct -1 is outside 0–100")
        check(base.map { $0 == "-- holdout_pct: 10" ? "-- holdout_pct: 10%" : $0 }, line: 6,
              "holdout_pct '10%' is not a number (a percentage from 0 to 100, e.g. 10 or 2.5)")
        check(base + ["-- max_users: 0"], line: 7, "max_users '0' is not an integer ≥ 1")
        check(base.map { $0 == "-- offer: o" ? "-- offer:" : $0 }, line: 4, "setting 'offer' is empty")
        check(base.map { $0 == "-- id: a" ? "-- id: Win Back" : $0 }, line: 1,
              "id 'Win Back' must be a lower-case identifier (a letter, then letters, digits or _)")
        check(base.map { $0 == "-- channel: email" ? "-- channel: E-mail" : $0 }, line: 3,
              "channel 'E-mail' must be a lower-case identifier such as email, push, ads or sms")

        XCTAssertThrowsError(try CampaignFile(parsing: base.joined(separator: "\n") + "\n\n", file: "c.sql")) { error in
            XCTAssertEqual(error as? WarehouseError, .campaign(file: "c.sql", line: 8, message: "no SELECT after the header"))
            XCTAssertEqual("\(error)", "campaign c.sql:8: no SELECT after the header")
        }
    }

    func testLoadAllReadsTheFolderInNameOrderAndRefusesADuplicateId() throws {
        let scratch = try Scratch()
        let sql = SQLDirectory(root: scratch.url)
        XCTAssertEqual(try CampaignFile.loadAll(from: sql), [], "no queries/campaigns folder: no campaigns")

        try FileManager.default.createDirectory(at: sql.campaignsURL, withIntermediateDirectories: true)
        try (header(id: "second") + "select 1 as user_id").write(to: sql.campaignsURL.appendingPathComponent("b.sql"), atomically: true, encoding: .utf8)
        try (header(id: "first") + "select 1 as user_id").write(to: sql.campaignsURL.appendingPathComponent("a.sql"), atomically: true, encoding: .utf8)
        try "not a campaign".write(to: sql.campaignsURL.appendingPathComponent("README.md"), atomically: true, encoding: .utf8)
        let files = try CampaignFile.loadAll(from: sql)
        XCTAssertEqual(files.map(\.id), ["first", "second"])
        XCTAssertEqual(files[0].file, sql.campaignsURL.appendingPathComponent("a.sql").path)

        try (header(id: "first") + "select 2 as user_id").write(to: sql.campaignsURL.appendingPathComponent("c.sql"), atomically: true, encoding: .utf8)
        XCTAssertThrowsError(try CampaignFile.loadAll(from: sql)) { error in
            XCTAssertEqual(error as? WarehouseError, .campaign(
                file: sql.campaignsURL.appendingPathComponent("c.sql").path, line: 1,
                message: "campaign id 'first' is already used by \(sql.campaignsURL.appendingPathComponent("a.sql").path)"))
        }
    }

    // MARK: Evaluation

    func testPriorityOrderAndOneCampaignPerChannel() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: (1...6).map { "u\($0)" })
        let files = try [
            campaign(id: "late_mail", channel: "email", priority: 20, sql: "select user_id from current_user_segments where user_id <= 'u4'"),
            campaign(id: "early_mail", channel: "email", priority: 10, sql: "select user_id from current_user_segments where user_id >= 'u3'"),
            campaign(id: "push_all", channel: "push", priority: 30, sql: "select user_id from current_user_segments"),
            campaign(id: "a_tie", channel: "email", priority: 20, sql: "select 'u1' as user_id"),
        ]
        let summaries = try warehouse.evaluateCampaigns(runId: runId, files: files)
        XCTAssertEqual(summaries.map(\.campaignId), ["early_mail", "a_tie", "late_mail", "push_all"], "priority, then id")
        XCTAssertEqual(summaries.map(\.audience), [4, 1, 4, 6])
        XCTAssertEqual(summaries.map(\.alreadyOnChannel), [0, 0, 3, 0])
        XCTAssertEqual(summaries.map(\.assigned), [4, 1, 1, 6])

        XCTAssertEqual(try assignments(warehouse, runId: runId, channel: "email"), [
            "u1": "a_tie", "u2": "late_mail", "u3": "early_mail", "u4": "early_mail", "u5": "early_mail", "u6": "early_mail",
        ])
        XCTAssertEqual(try assignments(warehouse, runId: runId, channel: "push").count, 6)
        let rows = try warehouse.pool.read { db in
            try Row.fetchAll(db, sql: "select campaign_id, audience, assigned, treated, holdout from current_campaign_summary order by priority, campaign_id")
        }
        XCTAssertEqual(rows.map { $0["campaign_id"] as String }, ["early_mail", "a_tie", "late_mail", "push_all"])
        XCTAssertEqual(rows.map { $0["treated"] as Int }, [4, 1, 1, 6], "holdout_pct 0: everyone treated")
        let stored: Row? = try warehouse.pool.read { try Row.fetchOne($0, sql: "select * from campaigns where campaign_id = 'late_mail'") }
        XCTAssertEqual(stored?["file"], "late_mail.sql")
        XCTAssertEqual(stored?["sql_sha256"], files[0].sha256)
        XCTAssertEqual(stored?["offer"], "offer of late_mail")

        // Evaluating the run again replaces its rows.
        XCTAssertEqual(try warehouse.evaluateCampaigns(runId: runId, files: files), summaries)
        XCTAssertEqual(try warehouse.scalar("select count(*) from campaign_assignments") as Int?, 12)
    }

    func testMaxUsersTakesTheFirstUsersByRankKeyAndLeavesTheRestFree() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let users = (1...10).map { "u\($0)" }
        let runId = try publishRun(warehouse, users: users)
        let files = try [
            campaign(id: "capped", channel: "sms", priority: 1, maxUsers: 3, sql: "select user_id from current_user_segments"),
            campaign(id: "rest", channel: "sms", priority: 2, sql: "select user_id from current_user_segments"),
        ]
        let summaries = try warehouse.evaluateCampaigns(runId: runId, files: files)
        XCTAssertEqual(summaries[0].assigned, 3)
        XCTAssertEqual(summaries[0].overCap, 7)
        XCTAssertEqual(summaries[1].assigned, 7)
        XCTAssertEqual(summaries[1].alreadyOnChannel, 3)

        let expected = users.sorted { Holdout.keys(campaignId: "capped", userId: $0).rank < Holdout.keys(campaignId: "capped", userId: $1).rank }.prefix(3)
        let chosen = try assignments(warehouse, runId: runId, channel: "sms").filter { $0.value == "capped" }.keys
        XCTAssertEqual(Set(chosen), Set(expected))
    }

    func testHoldoutIsStableAcrossEvaluationsAndRunsAndNearItsShare() throws {
        // The documented formula, checked against Python's hashlib:
        // int.from_bytes(sha256(b"winback_coupon\x1fU0001").digest()[:8], "big") == 9155542406258366013 (49.63%).
        let keys = Holdout.keys(campaignId: "winback_coupon", userId: "U0001")
        XCTAssertEqual(keys.holdout, 9_155_542_406_258_366_013)
        XCTAssertEqual(keys.rank, 17_932_628_669_856_147_571)
        XCTAssertTrue(Holdout.isHoldout(campaignId: "winback_coupon", userId: "U0001", holdoutPct: 49.7))
        XCTAssertFalse(Holdout.isHoldout(campaignId: "winback_coupon", userId: "U0001", holdoutPct: 49.6))
        XCTAssertTrue(Holdout.isHoldout(key: .max, holdoutPct: 100))
        XCTAssertFalse(Holdout.isHoldout(key: 0, holdoutPct: 0))

        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let files = try [campaign(id: "winback", channel: "email", priority: 1, holdoutPct: 10, sql: "select user_id from current_user_segments")]
        let run1 = try publishRun(warehouse, users: (0..<10_000).map { String(format: "U%05d", $0) })
        let first = try warehouse.evaluateCampaigns(runId: run1, files: files)[0]
        let held1 = try heldOut(warehouse, runId: run1)
        XCTAssertEqual(first.holdout, held1.count)
        XCTAssertEqual(first.treated + first.holdout, 10_000)
        // Binomial(10,000, 0.1): standard deviation 30; 150 is five of them.
        XCTAssertEqual(Double(held1.count), 1_000, accuracy: 150)
        XCTAssertEqual(try warehouse.evaluateCampaigns(runId: run1, files: files)[0], first, "same run, same result")
        XCTAssertEqual(try heldOut(warehouse, runId: run1), held1)

        // The next night: half the users are new; those in both runs keep their group.
        let run2 = try publishRun(warehouse, users: (5_000..<15_000).map { String(format: "U%05d", $0) })
        _ = try warehouse.evaluateCampaigns(runId: run2, files: files)
        let held2 = try heldOut(warehouse, runId: run2)
        let shared = Set((5_000..<10_000).map { String(format: "U%05d", $0) })
        XCTAssertEqual(held1.intersection(shared), held2.intersection(shared))
        XCTAssertGreaterThan(held2.intersection(shared).count, 350)
        XCTAssertEqual(try warehouse.scalar("select count(*) from campaign_assignments where run_id = \(run1)") as Int?, 10_000, "run 1 kept")

        // Another campaign draws independently.
        let other = try [campaign(id: "loyalty", channel: "email", priority: 1, holdoutPct: 10, sql: "select user_id from current_user_segments")]
        _ = try warehouse.evaluateCampaigns(runId: run2, files: other)
        XCTAssertLessThan(try heldOut(warehouse, runId: run2).intersection(held2).count, 250)
    }

    // MARK: Refusals

    func testACampaignThatWritesIsRefusedAndNamed() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["u1"])
        // Statements that write, statements SQLite counts as read-only (COMMIT, ATTACH …), and
        // pragmas, which SQLite may apply while compiling: refused before anything is compiled.
        for sql in ["delete from events", "insert into published_run (id, run_id, published_at) values (1, 1, 'x') returning run_id as user_id",
                    "update user_segments set segment_id = 9 returning user_id", "drop table user_segments", "create table t (user_id text)",
                    "begin immediate", "commit", "attach database ':memory:' as elsewhere", "pragma query_only = 1", "savepoint s",
                    "explain select 1 as user_id", "PRAGMA ignore_check_constraints = 1", "Replace into users (user_id) values ('x')"] {
            let file = try campaign(id: "vandal", channel: "email", priority: 1, sql: "/* a */ -- b\n" + sql)
            let keyword = sql.prefix { $0.isLetter }.uppercased()
            XCTAssertThrowsError(try warehouse.evaluateCampaigns(runId: runId, files: [file]), sql) { error in
                XCTAssertEqual(error as? WarehouseError, .campaign(file: "vandal.sql", line: 7, message:
                    "the statement (\(keyword) …) is not a SELECT and was refused without being compiled: a campaign is one read-only SELECT"), sql)
            }
        }
        // A WITH clause in front of a write is compiled, and refused as SQLite reports it writing.
        for sql in ["with doomed as (select user_id from user_segments) delete from user_segments where user_id in (select user_id from doomed)",
                    "with t as (select 1) insert into users (user_id, batch_id) select 'x', 1 from t"] {
            let file = try campaign(id: "vandal", channel: "email", priority: 1, sql: sql)
            XCTAssertThrowsError(try warehouse.evaluateCampaigns(runId: runId, files: [file]), sql) { error in
                XCTAssertEqual(error as? WarehouseError, .campaign(file: "vandal.sql", line: 7, message:
                    "the statement writes to the database and was refused: a campaign is one read-only SELECT"), sql)
            }
        }
        let trailingPragma = try campaign(id: "two", channel: "email", priority: 1, sql: "select user_id from user_segments; pragma query_only = 1")
        XCTAssertThrowsError(try warehouse.evaluateCampaigns(runId: runId, files: [trailingPragma])) { error in
            XCTAssertEqual(error as? WarehouseError, .campaign(file: "two.sql", line: 7, message:
                "more than one SQL statement; a campaign is exactly one SELECT"))
        }
        // None of them changed the connection: it still writes, and CHECK constraints still hold.
        XCTAssertEqual(try warehouse.evaluateCampaigns(runId: runId, files: [try campaign(id: "fine", channel: "email", priority: 1,
                                                                                       sql: "select 'u1' as user_id; -- done\n;")])[0].assigned, 1)
        XCTAssertThrowsError(try warehouse.pool.write { try $0.execute(sql: "update campaign_assignments set is_holdout = 7") })
        let twoStatements = try campaign(id: "two", channel: "email", priority: 1, sql: "select user_id from user_segments; delete from user_segments;")
        XCTAssertThrowsError(try warehouse.checkCampaigns([twoStatements])) { error in
            XCTAssertEqual(error as? WarehouseError, .campaign(file: "two.sql", line: 7, message:
                "more than one SQL statement; a campaign is exactly one SELECT"))
        }
        XCTAssertEqual(try warehouse.scalar("select count(*) from user_segments") as Int?, 1, "nothing was run")
        XCTAssertEqual(try warehouse.scalar("select group_concat(campaign_id) from campaigns") as String?, "fine")
    }

    func testASyntaxErrorNamesTheFileAndSQLitesMessage() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["u1"])
        let good = try campaign(id: "good", channel: "email", priority: 1, sql: "select user_id from current_user_segments")
        let cases: [(String, String)] = [
            ("selec user_id from users", #"near "selec": syntax error"#),
            ("select user_id from no_such_table", "no such table: no_such_table"),
            ("select user_id, no_such_column from users", "no such column: no_such_column"),
            ("select segment_id from current_user_segments", "the SELECT returns no user_id column (its columns: segment_id)"),
            ("/* only a comment */", "no SQL statement after the header; a campaign is one SELECT"),
            ("select 1.5 as user_id", "user_id must be text or an integer, and a row returned a real number or a blob (cast it to text)"),
        ]
        for (sql, message) in cases {
            let bad = try campaign(id: "bad", channel: "push", priority: 5, sql: sql)
            XCTAssertThrowsError(try warehouse.evaluateCampaigns(runId: runId, files: [good, bad]), sql) { error in
                XCTAssertEqual(error as? WarehouseError, .campaign(file: "bad.sql", line: 7, message: message), sql)
                XCTAssertEqual("\(error)", "campaign bad.sql:7: \(message)")
            }
        }
        XCTAssertEqual(try warehouse.scalar("select count(*) from campaign_assignments") as Int?, 0, "nothing written")
        XCTAssertThrowsError(try warehouse.checkCampaigns([good, try campaign(id: "bad", channel: "push", priority: 5, sql: "selec 1")]))
        XCTAssertNoThrow(try warehouse.checkCampaigns([good]))
    }

    func testHeldOutUsersKeepTheirChannelSlot() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["u1", "u2", "u3"])
        let files = try [
            campaign(id: "control_only", channel: "email", priority: 1, holdoutPct: 100, sql: "select user_id from current_user_segments where user_id != 'u3'"),
            campaign(id: "next", channel: "email", priority: 2, sql: "select user_id from current_user_segments"),
        ]
        let summaries = try warehouse.evaluateCampaigns(runId: runId, files: files)
        XCTAssertEqual(summaries.map(\.holdout), [2, 0])
        XCTAssertEqual(summaries.map(\.treated), [0, 1])
        XCTAssertEqual(try assignments(warehouse, runId: runId, channel: "email"), ["u1": "control_only", "u2": "control_only", "u3": "next"])
    }

    func testStatementShapeReadsCommentsQuotesAndSemicolons() {
        XCTAssertEqual(StatementShape("-- only\n/* comments */ ;"), StatementShape(firstWord: nil, hasSecondStatement: false))
        XCTAssertEqual(StatementShape("  WITH x as (select 1) select * from x;;  -- end"), StatementShape(firstWord: "with", hasSecondStatement: false))
        XCTAssertEqual(StatementShape("select ';', \"a;\"\"b\", [c;], `d;`, 'it''s;' ; vacuum"), StatementShape(firstWord: "select", hasSecondStatement: true))
        XCTAssertEqual(StatementShape("select 1 /* ; unterminated"), StatementShape(firstWord: "select", hasSecondStatement: false))
        XCTAssertEqual(StatementShape("(select 1)"), StatementShape(firstWord: "(", hasSecondStatement: false))
        XCTAssertEqual(StatementShape("sélect 1"), StatementShape(firstWord: "sélect", hasSecondStatement: false))
    }

    func testIntegerIdsAreReadAsTextAndNullsAreSkipped() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["42", "x", "a;b"])
        let file = try campaign(id: "numbers", channel: "email", priority: 1,
                                sql: "select 42 as user_id union all select null union all select '42' union all select 'x'")
        let summary = try warehouse.evaluateCampaigns(runId: runId, files: [file])[0]
        XCTAssertEqual(summary.audience, 2)
        XCTAssertEqual(Set(try assignments(warehouse, runId: runId, channel: "email").keys), ["42", "x"])

        // Semicolons in strings, quoted names and comments do not end the statement.
        let quoted = try campaign(id: "quoted", channel: "push", priority: 1,
                                  sql: "select 'a;b' as user_id, \"x;\", [y;], `z;` from (select 1 as \"x;\", 2 as [y;], 3 as `z;`) /* ; */ -- ;\n;")
        XCTAssertEqual(try warehouse.evaluateCampaigns(runId: runId, files: [quoted])[0].audience, 1)
        XCTAssertEqual(Array(try assignments(warehouse, runId: runId, channel: "push").keys), ["a;b"])
    }

    func testUserIdsTheWarehouseDoesNotKnowAreDroppedAndCounted() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["00004", "00021"])
        // A cast that loses leading zeros, and a made-up id.
        let file = try campaign(id: "ghosts", channel: "email", priority: 1,
                                sql: "select cast(user_id as integer) as user_id from current_user_segments union all select 'nobody-1' union all select '00021'")
        let summary = try warehouse.evaluateCampaigns(runId: runId, files: [file])[0]
        XCTAssertEqual(summary.unknownUsers, 3)
        XCTAssertEqual(summary.audience, 1)
        XCTAssertEqual(Array(try assignments(warehouse, runId: runId, channel: "email").keys), ["00021"])
    }

    func testOnlyThePublishedRunIsEvaluated() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["u1"])
        XCTAssertThrowsError(try warehouse.evaluateCampaigns(runId: runId + 1, files: [])) { error in
            XCTAssertEqual(error as? WarehouseError, .run(message:
                "campaigns are evaluated for the published run after the pointer moves; run \(runId + 1) is not it (published: \(runId))"))
        }
        let twice = try [campaign(id: "same", channel: "email", priority: 1, sql: "select 'a' as user_id"),
                         campaign(id: "same", channel: "push", priority: 2, sql: "select 'b' as user_id")]
        XCTAssertThrowsError(try warehouse.evaluateCampaigns(runId: runId, files: twice)) { error in
            XCTAssertEqual(error as? WarehouseError, .campaign(file: "same.sql", line: 1, message: "campaign id 'same' is already used by same.sql"))
        }
    }

    // MARK: Shipped campaigns

    static let shippedIds = ["birthday_privilege", "winback_coupon", "new_customer_care", "loyalty_programme",
                             "price_sensitive_discount", "personalised_ads"]

    func testShippedCampaignsRunOnAnEmptyDatabase() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let files = try CampaignFile.loadAll(from: .bundled)
        XCTAssertEqual(files.map(\.id).sorted(), Self.shippedIds.sorted())
        XCTAssertEqual(files.map(\.sha256), try CampaignFile.loadAll(from: SQLDirectory(root: repositoryRoot)).map(\.sha256), "bundled = checkout")
        for file in files {
            XCTAssertTrue(file.notes.contains("Who:") && file.notes.contains("Why:"), "\(file.file) says who it targets and why")
        }
        try warehouse.checkCampaigns(files)
        let runId = try publishRun(warehouse, users: [])
        let summaries = try warehouse.evaluateCampaigns(runId: runId, files: files)
        XCTAssertEqual(summaries.map(\.campaignId), Self.shippedIds)
        XCTAssertEqual(summaries.map(\.audience), [0, 0, 0, 0, 0, 0])
        XCTAssertEqual(try warehouse.scalar("select count(*) from current_campaign_summary") as Int?, 6)
    }

    func testShippedCampaignsOnTheSample() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let sample = repositoryRoot.appendingPathComponent("examples/sample")
        _ = try warehouse.loadCanonicalEvents(sample.appendingPathComponent("events.csv"))
        _ = try warehouse.load(file: sample.appendingPathComponent("users.csv"), options: LoadOptions(
            target: .users, mapping: .canonical(target: .users, format: .csv, delimiter: .comma)))
        let users: [String] = try warehouse.pool.read { try String.fetchAll($0, sql: "select user_id from user_features order by user_id") }
        XCTAssertEqual(users.count, 300)
        let asOf = "2024-12-31T23:59:59Z"
        let runId = try publishRun(warehouse, users: users, asOf: asOf)
        // A birthday in the window (31 December to 6 January) for certain.
        try warehouse.pool.write { try $0.execute(sql: "update users set birth_date = '1990-01-02' where user_id = ?", arguments: [users[0]]) }
        try fillScores(warehouse, runId: runId, users: users)

        let files = try CampaignFile.loadAll(from: .bundled)
        let summaries = try warehouse.evaluateCampaigns(runId: runId, files: files)
        let byId = Dictionary(uniqueKeysWithValues: summaries.map { ($0.campaignId, $0) })
        for summary in summaries {
            XCTAssertGreaterThan(summary.audience, 0, summary.campaignId)
            XCTAssertEqual(summary.audience, summary.alreadyOnChannel + summary.overCap + summary.assigned, summary.campaignId)
            XCTAssertEqual(summary.assigned, summary.treated + summary.holdout, summary.campaignId)
        }
        // Who each one reaches, checked against the scores written above.
        let champions: Int? = try warehouse.scalar("select count(*) from current_user_rfm_scores where rfm_segment = 'Champions'")
        XCTAssertEqual(byId["loyalty_programme"]?.audience, champions)
        let winback: Int? = try warehouse.scalar("""
            select count(*) from (select user_id from current_user_rfm_scores where rfm_segment in ('At Risk', 'Can''t Lose Them')
                                  union select user_id from current_user_retention where churn_risk = 'high')
            """)
        XCTAssertEqual(byId["winback_coupon"]?.audience, winback)
        let birthdays: [String] = try warehouse.pool.read { try String.fetchAll($0, sql: """
            select a.user_id from campaign_assignments as a join users as u on u.user_id = a.user_id
            where a.run_id = ? and a.campaign_id = 'birthday_privilege' and substr(u.birth_date, 6, 5) not between '01-01' and '01-06'
              and substr(u.birth_date, 6, 5) != '12-31'
            """, arguments: [runId]) }
        XCTAssertEqual(birthdays, [], "only birthdays from 31 December to 6 January")
        XCTAssertTrue(try assignments(warehouse, runId: runId, channel: "email")[users[0]] == "birthday_privilege")

        // Without retention rows and users the campaigns still run.
        try warehouse.pool.write { db in
            try db.execute(sql: "delete from user_retention; delete from users")
        }
        let without = try warehouse.evaluateCampaigns(runId: runId, files: files)
        XCTAssertEqual(without.first { $0.campaignId == "personalised_ads" }?.audience, 0)
        XCTAssertEqual(without.first { $0.campaignId == "birthday_privilege" }?.audience, 0)
        XCTAssertEqual(without.first { $0.campaignId == "loyalty_programme" }?.audience, champions)
    }

    func testTheReadmeExampleParsesAndRuns() throws {
        let readme = try String(contentsOf: repositoryRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try XCTUnwrap(readme.range(of: "## Campaigns\n")).upperBound
        let start = try XCTUnwrap(readme.range(of: "```sql\n", range: section..<readme.endIndex)).upperBound
        let end = try XCTUnwrap(readme.range(of: "```", range: start..<readme.endIndex)).lowerBound
        let example = try CampaignFile(parsing: String(readme[start..<end]), file: "README.md")
        XCTAssertEqual(example.id, "winback_coupon")
        let shipped = try XCTUnwrap(try CampaignFile.loadAll(from: .bundled).first { $0.id == "winback_coupon" })
        XCTAssertEqual([example.name, example.channel, example.offer], [shipped.name, shipped.channel, shipped.offer])
        XCTAssertEqual([Double(example.priority), example.holdoutPct], [Double(shipped.priority), shipped.holdoutPct])

        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let runId = try publishRun(warehouse, users: ["u1", "u2", "u3"])
        try fillScores(warehouse, runId: runId, users: ["u1", "u2", "u3"])   // u3: churn risk high
        XCTAssertEqual(try warehouse.evaluateCampaigns(runId: runId, files: [example]).map(\.audience), [1])
        XCTAssertEqual(try warehouse.evaluateCampaigns(runId: runId, files: [shipped]).map(\.audience), [1])
    }

    func testBirthdayWindowAndTheTwentyNinthOfFebruary() throws {
        let scratch = try Scratch()
        let warehouse = try scratch.warehouse()
        let people = ["on_day": "1990-02-25", "leapling": "1992-02-29", "last_day": "1990-03-03", "too_late": "1990-03-04",
                      "too_early": "1990-02-24", "garbled": "25/02/1990", "unknown": ""]
        try warehouse.pool.write { db in
            try db.execute(sql: """
                insert into load_batches (batch_id, target, file_path, content_sha256, started_at, finished_at, duration_ms,
                                          rows_read, rows_loaded, rows_rejected)
                values (1, 'users', 'users.csv', 'x', 'now', 'now', 0, 0, 0, 0)
                """)
            for (user, birth) in people {
                try db.execute(sql: "insert into users (user_id, batch_id, birth_date) values (?, 1, nullif(?, ''))", arguments: [user, birth])
            }
        }
        let file = try XCTUnwrap(try CampaignFile.loadAll(from: .bundled).first { $0.id == "birthday_privilege" })
        func celebrated(asOf: String) throws -> [String: String] {
            try warehouse.pool.write { db in
                try db.execute(sql: "insert or replace into build_context (id, as_of) values (1, ?)", arguments: [asOf])
                _ = try CampaignRunner.prepare(file, in: db)
                let rows = try Row.fetchAll(db, sql: file.sql)
                return Dictionary(uniqueKeysWithValues: rows.map { ($0["user_id"] as String, $0["celebrated_on"] as String) })
            }
        }
        XCTAssertEqual(try celebrated(asOf: "2023-02-25T12:00:00Z"),
                       ["on_day": "2023-02-25", "leapling": "2023-02-28", "last_day": "2023-03-03"])
        XCTAssertEqual(try celebrated(asOf: "2024-02-25T00:00:00Z"), ["on_day": "2024-02-25", "leapling": "2024-02-29"])
        XCTAssertEqual(try celebrated(asOf: "2024-02-26T23:59:59Z"), ["leapling": "2024-02-29", "last_day": "2024-03-03"])
    }

    // MARK: Helpers

    private func header(id: String, channel: String = "email", priority: Int = 1, holdoutPct: Double = 0, maxUsers: Int? = nil) -> String {
        """
        -- id: \(id)
        -- name: Campaign \(id)
        -- channel: \(channel)
        -- offer: offer of \(id)
        -- priority: \(priority)
        -- holdout_pct: \(holdoutPct)
        \(maxUsers.map { "-- max_users: \($0)\n" } ?? "")
        """
    }

    /// A campaign whose SELECT starts on line 7 (line 8 with max_users).
    private func campaign(id: String, channel: String, priority: Int, holdoutPct: Double = 0, maxUsers: Int? = nil, sql: String) throws -> CampaignFile {
        try CampaignFile(parsing: header(id: id, channel: channel, priority: priority, holdoutPct: holdoutPct, maxUsers: maxUsers) + sql,
                         file: "\(id).sql")
    }

    /// Simulates a published run of `users` (every one in segment 0): the run row, its
    /// user_segments, the published pointer and build_context, as `build` leaves them.
    private func publishRun(_ warehouse: Warehouse, users: [String], asOf: String = "2024-03-31T23:59:59Z") throws -> Int64 {
        try warehouse.pool.write { db in
            try db.execute(sql: """
                insert into segmentation_runs (status, started_at, finished_at, as_of, feature_view, algorithm, parameters, tool_version)
                values ('published', ?, ?, ?, 'user_features', 'kmeans', '{}', 'test')
                """, arguments: [asOf, asOf, asOf])
            let runId = db.lastInsertedRowID
            let insert = try db.makeStatement(sql: "insert into user_segments (run_id, user_id, segment_id, distance_to_centroid) values (?, ?, 0, 0)")
            for user in users { try insert.execute(arguments: [runId, user]) }
            try db.execute(sql: """
                insert into published_run (id, run_id, published_at) values (1, ?, ?)
                on conflict (id) do update set run_id = excluded.run_id, published_at = excluded.published_at
                """, arguments: [runId, asOf])
            try db.execute(sql: "insert or replace into build_context (id, as_of) values (1, ?)", arguments: [asOf])
            return runId
        }
    }

    /// RFM scores cycling through the eleven segment names, and retention rows with P(alive)
    /// and churn risk cycling through their ranges.
    private func fillScores(_ warehouse: Warehouse, runId: Int64, users: [String]) throws {
        let names = ["Champions", "Loyal Customers", "Potential Loyalists", "New Customers", "Promising", "Need Attention",
                     "About to Sleep", "At Risk", "Can't Lose Them", "Hibernating", "Lost"]
        let risks = ["low", "medium", "high", "one_time"]
        try warehouse.pool.write { db in
            for (index, user) in users.enumerated() {
                let score = index % 5 + 1
                try db.execute(sql: """
                    insert into user_rfm_scores (run_id, user_id, r_score, f_score, m_score, rfm_cell, rfm_segment) values (?, ?, ?, ?, ?, ?, ?)
                    """, arguments: [runId, user, score, score, score, "\(score)\(score)\(score)", names[index % names.count]])
                try db.execute(sql: """
                    insert into user_retention (run_id, user_id, frequency, recency, T, p_alive, clv, churn_risk) values (?, ?, 1, 1, 2, ?, 10, ?)
                    """, arguments: [runId, user, Double(index % 10) / 10 + 0.05, risks[index % risks.count]])
            }
        }
    }

    private func assignments(_ warehouse: Warehouse, runId: Int64, channel: String) throws -> [String: String] {
        try warehouse.pool.read { db in
            let rows = try Row.fetchAll(db, sql: "select user_id, campaign_id from campaign_assignments where run_id = ? and channel = ?",
                                        arguments: [runId, channel])
            return Dictionary(uniqueKeysWithValues: rows.map { ($0["user_id"] as String, $0["campaign_id"] as String) })
        }
    }

    private func heldOut(_ warehouse: Warehouse, runId: Int64) throws -> Set<String> {
        Set(try warehouse.pool.read { try String.fetchAll($0, sql: "select user_id from campaign_assignments where run_id = ? and is_holdout = 1", arguments: [runId]) })
    }
}

private extension StatementShape {
    init(firstWord: String?, hasSecondStatement: Bool) {
        self.init("")
        self.firstWord = firstWord
        self.hasSecondStatement = hasSecondStatement
    }
}
