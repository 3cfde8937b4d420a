import Foundation
import GRDB
import XCTest

/// The nightly contract with real processes: SIGKILLed builds, a second build while one runs,
/// and a BI reader (Python's sqlite3) reading the current_* views while builds publish.
final class NightlyProcessTests: XCTestCase {
    private var folder: URL!
    private var shopseg: ShopsegProcess { ShopsegProcess(folder: folder) }
    private var sample: String { CLITests.root.appendingPathComponent("examples/sample/events.csv").path }

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-nightly-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        XCTAssertEqual(try shopseg.run(["load", "events", sample]).status, 0)
        let first = try shopseg.run(["build", "--k", "4"])
        XCTAssertEqual(first.status, 0, first.stderr)
    }
    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: folder) }

    /// Everything a BI reader can see, as text.
    private func visible() throws -> [String] {
        try DatabaseQueue(path: shopseg.database.path).read { db in
            try ["current_run", "current_user_segments", "current_segments", "current_segment_profiles", "feature_as_of"].flatMap { view in
                try Row.fetchAll(db, sql: "select * from \(view)").sorted { "\($0)" < "\($1)" }.map { "\(view) \($0)" }
            }
        }
    }

    private func status(ofRun run: Int) throws -> String? {
        try DatabaseQueue(path: shopseg.database.path).read { try String.fetchOne($0, sql: "select status from segmentation_runs where run_id = ?", arguments: [run]) }
    }

    func testAKilledBuildLeavesThePublishedRunIntactAndTheNextBuildSucceeds() throws {
        var run = 1
        for point in ["after-reading-features", "while-writing-labels", "before-publishing"] {
            let before = try visible()
            let killed = try shopseg.run(["build", "--k", "3"], environment: ["SHOPSEG_TEST_KILL_AT": point])
            XCTAssertEqual(killed.reason, .uncaughtSignal, point)
            XCTAssertEqual(killed.status, SIGKILL, point)
            XCTAssertEqual(try visible(), before, "readers see the previous run, unchanged, after a kill \(point)")
            XCTAssertEqual(try status(ofRun: run + 1), "running", point)
            let integrity = try DatabaseQueue(path: shopseg.database.path).read { try String.fetchOne($0, sql: "pragma integrity_check") }
            XCTAssertEqual(integrity, "ok")

            let next = try shopseg.run(["build", "--k", "3"])
            XCTAssertEqual(next.status, 0, next.stderr)
            XCTAssertTrue(next.stderr.contains("run \(run + 1) was left running"), next.stderr)
            XCTAssertEqual(try status(ofRun: run + 1), "abandoned", point)
            XCTAssertEqual(try status(ofRun: run + 2), "published", point)
            run += 2
        }
    }

    func testASecondBuildExits75AtOnceNamingTheRunningRun() throws {
        let holder = try shopseg.start(["build", "--k", "3"], environment: ["SHOPSEG_TEST_HOLD_AT": "before-publishing"])
        defer { if holder.isRunning { kill(holder.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(60)
        while try status(ofRun: 2) != "running" && Date() < deadline { usleep(50_000) }
        XCTAssertEqual(try status(ofRun: 2), "running")

        let started = Date()
        let second = try shopseg.run(["build", "--json"])
        XCTAssertEqual(second.status, 75, second.stderr)
        XCTAssertLessThan(Date().timeIntervalSince(started), 10, "refused at once, not after a lock timeout")
        XCTAssertTrue(second.stderr.contains("run 2"), second.stderr)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(second.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["exit_code"] as? Int, 75)
        XCTAssertEqual(try shopseg.run(["assign"]).status, 75, "assign waits for the build too")
        XCTAssertEqual(try shopseg.run(["status"]).status, 0, "readers are never refused")

        kill(holder.processIdentifier, SIGKILL)
        holder.waitUntilExit()
        let after = try shopseg.run(["build", "--k", "3"])
        XCTAssertEqual(after.status, 0, after.stderr)
        XCTAssertEqual(try status(ofRun: 2), "abandoned")
    }

    func testABIReaderAlwaysSeesExactlyOneCompleteRun() throws {
        let stop = folder.appendingPathComponent("stop")
        let reader = Process()
        reader.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        reader.arguments = ["python3", CLITests.root.appendingPathComponent("Tests/ShopsegCLITests/bi_reader.py").path,
                            shopseg.database.path, stop.path]
        let output = Pipe()
        reader.standardOutput = output
        try reader.run()
        for k in [3, 5, 4, 6] {
            let build = try shopseg.run(["build", "--k", "\(k)"])
            XCTAssertEqual(build.status, 0, build.stderr)
        }
        FileManager.default.createFile(atPath: stop.path, contents: nil)
        let data = output.fileHandleForReading.readDataToEndOfFile()
        reader.waitUntilExit()
        XCTAssertEqual(reader.terminationStatus, 0)
        let report = try XCTUnwrap(JSONSerialization.jsonObject(with: data) as? [String: Any], String(decoding: data, as: UTF8.self))
        XCTAssertEqual(report["error_count"] as? Int, 0, "\(report)")
        XCTAssertEqual(report["inconsistent_count"] as? Int, 0, "\(report)")
        XCTAssertGreaterThan(report["reads"] as? Int ?? 0, 20, "\(report)")
        XCTAssertGreaterThanOrEqual((report["runs_seen"] as? [Int])?.count ?? 0, 2, "the reader saw publishes happen: \(report)")
    }

    func testALoadDuringABuildIsCountedByTheNextBuildsRejectGate() throws {
        let release = folder.appendingPathComponent("release")
        let build = try shopseg.start(["build", "--k", "3"], environment: [
            "SHOPSEG_TEST_HOLD_AT": "before-publishing", "SHOPSEG_TEST_RELEASE_FILE": release.path])
        defer { if build.isRunning { kill(build.processIdentifier, SIGKILL) } }
        let deadline = Date().addingTimeInterval(60)
        while try status(ofRun: 2) != "running" && Date() < deadline { usleep(50_000) }
        let bad = folder.appendingPathComponent("bad.csv")
        try "user_id,event_type,occurred_at\nnew1,view,2024-12-31T23:00:00Z\nnew2,teleport,2024-12-31T23:00:00Z\n"
            .write(to: bad, atomically: true, encoding: .utf8)
        XCTAssertEqual(try shopseg.run(["load", "events", bad.path, "--max-reject-rate", "100%"]).status, 0, "loads may run alongside a build")
        FileManager.default.createFile(atPath: release.path, contents: nil)
        build.waitUntilExit()
        XCTAssertEqual(build.terminationStatus, 0)
        XCTAssertEqual(try status(ofRun: 2), "published")
        let gated = try shopseg.run(["build", "--max-reject-rate", "1%"])
        XCTAssertEqual(gated.status, 79, "the batch loaded during run 2 came after its snapshot: \(gated.stderr)")
        XCTAssertTrue(gated.stderr.contains("1 of 2"), gated.stderr)
    }
}
