import Foundation
import XCTest

/// The `shopseg` binary as a user runs it: help screens, end to end on the bundled sample, exit codes.
final class CLITests: XCTestCase {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    private var scratch: URL!
    override func setUpWithError() throws {
        scratch = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: scratch) }

    /// Runs the built `shopseg` with `SHOPSEG_DB` in the scratch folder.
    @discardableResult
    func shopseg(_ arguments: String...) throws -> ShopsegProcess.Result {
        try ShopsegProcess(folder: scratch).run(arguments)
    }

    var sample: String { Self.root.appendingPathComponent("examples/sample/events.csv").path }

    /// Help is an interface: the screens are pinned in Tests/ShopsegCLITests/Help/. After a deliberate
    /// change, regenerate them with `COLUMNS=80 .build/debug/shopseg [COMMAND] --help > Tests/ShopsegCLITests/Help/NAME.txt`.
    func testHelpScreensArePinned() throws {
        let pinned = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Help")
        for command in ["", "init", "load", "generate", "build", "assign", "status", "vacuum"] {
            let result = command.isEmpty ? try shopseg("--help") : try shopseg(command, "--help")
            XCTAssertEqual(result.status, 0)
            let expected = try String(contentsOf: pinned.appendingPathComponent("\(command.isEmpty ? "shopseg" : command).txt"), encoding: .utf8)
            XCTAssertEqual(result.stdout, expected, "help of `shopseg \(command)` changed")
        }
    }

    func testInitReportsWhatItAppliedAsJSON() throws {
        let first = try shopseg("init", "--json")
        XCTAssertEqual(first.status, 0, first.stderr)
        let applied = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        XCTAssertTrue((applied["applied_migrations"] as? [String] ?? []).contains("0006_events_check_without_in_list"), first.stdout)
        XCTAssertTrue((applied["changed_views"] as? [String] ?? []).contains("user_features"), first.stdout)
        let again = try shopseg("init", "--json")
        let nothing = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(again.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(nothing["applied_migrations"] as? [String], [])
        XCTAssertEqual(nothing["changed_views"] as? [String], [])
    }

    /// An upgrade says what it applies before doing it (0006 rebuilds `events`: seconds per
    /// million events, silent before); a new database's instant migrations say nothing.
    func testAnUpgradeNamesItsMigrationsFirst() throws {
        let old = scratch.appendingPathComponent("old-sql")
        let files = FileManager.default
        try files.createDirectory(at: old.appendingPathComponent("migrations"), withIntermediateDirectories: true)
        try files.copyItem(at: Self.root.appendingPathComponent("queries"), to: old.appendingPathComponent("queries"))
        let all = try files.contentsOfDirectory(atPath: Self.root.appendingPathComponent("migrations").path).sorted()
        for name in all where name < "0006" {
            try files.copyItem(at: Self.root.appendingPathComponent("migrations/\(name)"), to: old.appendingPathComponent("migrations/\(name)"))
        }
        let fresh = try shopseg("init", "--sql-dir", old.path)
        XCTAssertEqual(fresh.status, 0, fresh.stderr)
        XCTAssertFalse(fresh.stderr.contains("upgrading"), fresh.stderr)
        let upgraded = try shopseg("load", "events", sample)
        XCTAssertEqual(upgraded.status, 0, upgraded.stderr)
        XCTAssertTrue(upgraded.stderr.contains("applying migrations 0006_events_check_without_in_list, "), upgraded.stderr)
        XCTAssertFalse(try shopseg("status").stderr.contains("upgrading"))
    }

    func testSampleEndToEnd() throws {
        XCTAssertEqual(try shopseg("init").status, 0)
        let load = try shopseg("load", "events", sample)
        XCTAssertEqual(load.status, 0, load.stderr)
        XCTAssertTrue(load.stdout.hasPrefix("loaded events from "), load.stdout)
        XCTAssertTrue(load.stdout.contains(" 0 rejected"), load.stdout)
        let build = try shopseg("build", "--k", "4")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stdout.contains("run 1 published: 300 users, 4 segments"), build.stdout)
        let status = try shopseg("status", "--json")
        XCTAssertEqual(status.status, 0, status.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["published_run_id"] as? Int, 1)
        XCTAssertEqual(json["users_with_events"] as? Int, 300)
    }

    /// Without `--k`, k-means chooses k by the highest silhouette in 4...10 (issue 6, item 5);
    /// agglomerative, which has no k sweep, keeps k = 5.
    func testDefaultKIsChosenInFourToTenForKMeansAndFiveForAgglomerative() throws {
        XCTAssertEqual(try shopseg("load", "events", sample).status, 0)
        let build = try shopseg("build", "--json")
        XCTAssertEqual(build.status, 0, build.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(build.stdout.utf8)) as? [String: Any])
        let chosen = try XCTUnwrap(json["chosen_k"] as? Int, build.stdout)
        XCTAssertTrue((4...10).contains(chosen), "\(chosen)")
        XCTAssertEqual(json["n_segments"] as? Int, chosen)
        let ward = try shopseg("build", "--algorithm", "agglomerative")
        XCTAssertEqual(ward.status, 0, ward.stderr)
        XCTAssertTrue(ward.stdout.contains("published: 300 users, 5 segments,"), ward.stdout)
    }

    /// `generate --out` writes four files that load with no rejects; without --out it fills the
    /// database (SHOPSEG_DB) and synthetic_truth; a build on it publishes.
    func testGenerateWritesLoadableFilesAndFillsTheDatabase() throws {
        let out = scratch.appendingPathComponent("shop.csv").path
        let generated = try shopseg("generate", "--users", "300", "--seed", "5", "--out", out)
        XCTAssertEqual(generated.status, 0, generated.stderr)
        XCTAssertTrue(generated.stdout.hasPrefix("generated 300 users, 2,000 items, "), generated.stdout)
        for (target, file) in [("items", "shop.items.csv"), ("users", "shop.users.csv"), ("events", "shop.csv")] {
            let load = try shopseg("load", target, scratch.appendingPathComponent(file).path)
            XCTAssertEqual(load.status, 0, load.stderr)
            XCTAssertTrue(load.stdout.contains(" 0 rejected"), load.stdout)
        }
        XCTAssertEqual(try String(contentsOfFile: scratch.appendingPathComponent("shop.truth.csv").path, encoding: .utf8)
            .split(separator: "\n").count, 301)

        XCTAssertEqual(try shopseg("generate", "--users", "0", "--out", out).status, 64)
        let negative = try shopseg("generate", "--users", "-5", "--out", out)
        XCTAssertEqual(negative.status, 64)
        XCTAssertTrue(negative.stderr.contains("--users -5: pass at least 1"), negative.stderr)
        XCTAssertEqual(try shopseg("generate", "--out", out, "--db", "x.db").status, 64)
        let db = scratch.appendingPathComponent("synthetic.db").path
        let filled = try shopseg("generate", "--users", "300", "--seed", "5", "--db", db, "--json")
        XCTAssertEqual(filled.status, 0, filled.stderr)
        let json = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(filled.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(json["truth_rows"] as? Int, 300)
        XCTAssertEqual((json["events"] as? [String: Any])?["rows_rejected"] as? Int, 0)
        let again = try shopseg("generate", "--users", "300", "--seed", "6", "--db", db)
        XCTAssertEqual(again.status, 64, "a second shop would mix with the first one's user ids")
        XCTAssertTrue(again.stderr.contains("already has"), again.stderr)
        let build = try shopseg("build", "--db", db, "--k", "7")
        XCTAssertEqual(build.status, 0, build.stderr)
        XCTAssertTrue(build.stdout.contains("300 users, 7 segments"), build.stdout)
    }

    func testExitCodes() throws {
        XCTAssertEqual(try shopseg("load", "events", scratch.appendingPathComponent("absent.csv").path).status, 66)
        XCTAssertEqual(try shopseg("build", "--k", "0").status, 64)
        XCTAssertEqual(try shopseg("load", "events", sample).status, 0)
        let again = try shopseg("load", "events", sample)
        XCTAssertEqual(again.status, 3)
        XCTAssertTrue(again.stderr.contains("--force"), again.stderr)
        let bad = scratch.appendingPathComponent("bad.csv")
        try "user_id,event_type,occurred_at\n,view,2024-01-01T00:00:00Z\nu,view,2024-01-01T00:00:00Z\n".write(to: bad, atomically: true, encoding: .utf8)
        let refused = try shopseg("load", "events", bad.path)
        XCTAssertEqual(refused.status, 65)
        XCTAssertTrue(refused.stderr.contains("\(bad.path):2:"), refused.stderr)
        XCTAssertEqual(try shopseg("load", "events", bad.path, "--max-reject-rate", "50%").status, 0)
    }

    func testOptionsOutsideTheAlgorithmAndMissingDatabasesAreRefused() throws {
        for arguments in [["build", "--eps", "0.3"], ["build", "--algorithm", "dbscan", "--k", "3"],
                          ["build", "--algorithm", "agglomerative", "--k", "3", "--distance-threshold", "2"],
                          ["build", "--batch-size", "10"], ["build", "--k", "auto:2-51"], ["build", "--linkage", "single"]] {
            let result = try ShopsegProcess(folder: scratch).run(arguments)
            XCTAssertEqual(result.status, 64, "\(arguments): \(result.stderr)")
            XCTAssertTrue(result.stderr.hasPrefix("20"), "usage errors are timestamped log lines: \(result.stderr)")
        }
        for command in ["assign", "vacuum"] {
            let result = try shopseg(command)
            XCTAssertEqual(result.status, 66, result.stderr)
            XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cli.db").path), "\(command) creates nothing")
        }
        // An empty file (a database never initialised): build migrates and says what is missing.
        FileManager.default.createFile(atPath: scratch.appendingPathComponent("cli.db").path, contents: nil)
        let empty = try shopseg("build")
        XCTAssertEqual(empty.status, 65, empty.stderr)
        XCTAssertTrue(empty.stderr.contains("no events loaded"), empty.stderr)
        let nothing = try shopseg("assign")
        XCTAssertEqual(nothing.status, 66, nothing.stderr)
        XCTAssertTrue(nothing.stderr.contains("no published run"), nothing.stderr)
        XCTAssertEqual(try shopseg("load", "events", sample).status, 0)
        XCTAssertEqual(try shopseg("build", "--k", "3").status, 0)
        XCTAssertEqual(try shopseg("build", "--k", "3").status, 0)
        let status = try shopseg("status")
        XCTAssertTrue(status.stdout.contains("published (current)"), status.stdout)
        XCTAssertEqual(status.stdout.components(separatedBy: "(current)").count, 2, "one current run")
        let vacuum = try shopseg("vacuum", "--json")
        XCTAssertEqual(vacuum.status, 0, vacuum.stderr)
        XCTAssertNotNil(try JSONSerialization.jsonObject(with: Data(vacuum.stdout.utf8)) as? [String: Any])
    }

    private func statusJSON() throws -> [String: Any] {
        let status = try shopseg("status", "--json")
        XCTAssertEqual(status.status, 0, status.stderr)
        return try XCTUnwrap(JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
    }

    func testBadRowsAreKeptWithTheirLineAndTheMessageNamesThem() throws {
        let fixtures = Self.root.appendingPathComponent("Tests/Fixtures/ingest")
        let file = fixtures.appendingPathComponent("bad_events.csv").path
        let refused = try shopseg("load", "events", file, "--mapping", fixtures.appendingPathComponent("bad_events.yaml").path)
        XCTAssertEqual(refused.status, 65, "5 of 8 rows are bad: above the default 1%")
        XCTAssertEqual(try statusJSON()["events"] as? Int, 0, "nothing loaded")

        let load = try shopseg("load", "events", file, "--mapping", fixtures.appendingPathComponent("bad_events.yaml").path,
                               "--max-reject-rate", "100%")
        XCTAssertEqual(load.status, 0, load.stderr)
        for line in 3...7 { XCTAssertTrue(load.stderr.contains("\(file):\(line): "), "line \(line) not named in:\n\(load.stderr)") }
        XCTAssertTrue(load.stdout.contains("8 rows read, 3 loaded, 5 rejected"), load.stdout)
        let status = try statusJSON()
        XCTAssertEqual(status["events"] as? Int, 3)
        XCTAssertEqual(status["rejects_kept"] as? Int, 5)
    }

    func testMappingNamingAMissingColumnFailsBeforeTheDatabaseIsTouched() throws {
        let mapping = scratch.appendingPathComponent("m.yaml")
        try "fields:\n  user_id: customer_no\n  occurred_at: occurred_at\nconstants:\n  event_type: purchase\n"
            .write(to: mapping, atomically: true, encoding: .utf8)
        let result = try shopseg("load", "events", sample, "--mapping", mapping.path)
        XCTAssertEqual(result.status, 78)
        XCTAssertTrue(result.stderr.contains("customer_no"), result.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cli.db").path))

        try "fields: [oops".write(to: mapping, atomically: true, encoding: .utf8)
        let unreadable = try shopseg("load", "events", sample, "--mapping", mapping.path)
        XCTAssertEqual(unreadable.status, 78)
        XCTAssertTrue(unreadable.stderr.contains("m.yaml"), unreadable.stderr)
    }

    func testStatusIsReadOnlyAndJSONErrorsAreObjects() throws {
        let missing = try shopseg("status", "--json")
        XCTAssertEqual(missing.status, 66)
        XCTAssertFalse(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("cli.db").path), "status creates nothing")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(missing.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["exit_code"] as? Int, 66)
        XCTAssertTrue((object["error"] as? String)?.contains("cli.db") ?? false, missing.stdout)

        let usage = try shopseg("build", "--k", "0", "--json")
        XCTAssertEqual(usage.status, 64)
        let usageObject = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(usage.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(usageObject["exit_code"] as? Int, 64)
    }
}
