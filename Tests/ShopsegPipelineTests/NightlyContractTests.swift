import Foundation
import GRDB
import ShopsegEngine
import ShopsegIngest
@testable import ShopsegPipeline
import ShopsegWarehouse
import XCTest

/// The nightly contract on the committed CDNOW slice (340 customers), split at 1998-03-31 as a
/// scheduler would see it: stable segment ids, transitions, lineage, abandoned runs, gates,
/// retention and `assign`.
final class NightlyContractTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    /// The slice's header plus the lines whose date passes `keep` (yyyyMMdd as an integer).
    private func slice(_ name: String, _ keep: (Int) -> Bool) throws -> URL {
        let lines = try String(contentsOf: fixture("cdnow/CDNOW_master_slice.txt"), encoding: .utf8)
            .split(separator: "\n", omittingEmptySubsequences: true)
        let kept = lines.dropFirst().filter { line in
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\r" })
            return keep(Int(fields[1])!)
        }
        return try scratch.file(name, ([lines[0]] + kept).joined(separator: "\n") + "\n")
    }

    private func load(_ file: URL, into warehouse: Warehouse) throws {
        _ = try warehouse.load(file: file, options: LoadOptions(target: .events, mapping: try mapping("cdnow_master.yaml")))
    }

    private func build(_ warehouse: Warehouse, k: Int = 4, _ change: (inout BuildOptions) -> Void = { _ in }) throws -> BuildSummary {
        var options = BuildOptions()
        options.k = k
        change(&options)
        return try Build(warehouse: warehouse, options: options).run()
    }

    private func segments(_ warehouse: Warehouse, run: Int64) throws -> [String: Int] {
        try DatabaseQueue(path: warehouse.path).read { db in
            var result: [String: Int] = [:]
            for row in try Row.fetchAll(db, sql: "select user_id, segment_id from user_segments where run_id = ?", arguments: [run]) {
                result[row["user_id"]] = row["segment_id"]
            }
            return result
        }
    }

    private func early() throws -> URL { try slice("early.txt") { $0 <= 19980331 } }
    private func late() throws -> URL { try slice("late.txt") { $0 > 19980331 } }

    func testRebuildingUnchangedDataKeepsEverySegmentId() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        let first = try build(warehouse)
        let second = try build(warehouse)
        XCTAssertEqual(try segments(warehouse, run: second.runId), try segments(warehouse, run: first.runId))
        XCTAssertEqual(second.previousRunId, first.runId)
        XCTAssertEqual(second.usersKeepingSegment, 340)
        XCTAssertEqual(try warehouse.count("select count(*) from segment_lineage where run_id = \(second.runId) and status = 'kept'"), 4)
        XCTAssertEqual(try warehouse.count("select count(*) from segment_transitions where to_run_id = \(second.runId) and from_segment_id is not to_segment_id"), 0,
                       "nobody moved")
        XCTAssertEqual(try warehouse.count("select sum(users) from current_segment_transitions"), 340)
        XCTAssertEqual(try warehouse.text("select ari_previous from current_run"), "1.0", "the same partition")
        XCTAssertNil(try warehouse.text("select ari_previous from segmentation_runs where run_id = \(first.runId)"))
    }

    func testASecondBatchShowsWhoMovedWhileMostKeepTheirId() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        let first = try build(warehouse)
        try load(try late(), into: warehouse)
        let second = try build(warehouse)
        let before = try segments(warehouse, run: first.runId), after = try segments(warehouse, run: second.runId)
        let kept = before.filter { after[$0.key] == $0.value }.count
        XCTAssertGreaterThan(Double(kept) / Double(before.count), 0.6, "most customers keep their id")
        XCTAssertEqual(second.usersKeepingSegment, kept)
        let ari = Double(try XCTUnwrap(try warehouse.text("select ari_previous from current_run")))!
        XCTAssertTrue(ari > 0.3 && ari < 1, "similar, not identical partitions: \(ari)")
        // Transitions add up to the users of both runs, cell by cell.
        let cells = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: "select from_segment_id, to_segment_id, users from segment_transitions where to_run_id = ?", arguments: [second.runId])
        }
        XCTAssertEqual(cells.reduce(0) { $0 + ($1["users"] as Int) }, Set(before.keys).union(after.keys).count)
        for cell in cells {
            let from: Int? = cell["from_segment_id"], to: Int? = cell["to_segment_id"]
            let expected = Set(before.keys).union(after.keys).filter { before[$0] == from && after[$0] == to }.count
            XCTAssertEqual(cell["users"] as Int, expected, "\(String(describing: from)) → \(String(describing: to))")
        }
    }

    func testRetiredSegmentIdsAreNeverReused() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        _ = try build(warehouse, k: 4)
        let fewer = try build(warehouse, k: 2)
        XCTAssertEqual(fewer.vanishedSegments.count, 2)
        XCTAssertEqual(try warehouse.count("select count(*) from segment_lineage where run_id = \(fewer.runId) and status = 'vanished'"), 2)
        let more = try build(warehouse, k: 4)
        let newIds = more.segments.filter { $0.lineage == "new" }.map(\.segmentId)
        XCTAssertEqual(newIds.count, 2)
        XCTAssertTrue(newIds.allSatisfy { $0 >= 4 }, "fresh ids come after every id used before: \(newIds)")
    }

    func testARunLeftRunningIsMarkedAbandonedByTheNextBuild() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        let orphan = try warehouse.startRun(asOf: "1998-03-31T00:00:00Z", featureView: "user_features", algorithm: "kmeans",
                                            parametersJSON: "{}", toolVersion: "test")
        let summary = try build(warehouse)
        XCTAssertEqual(try warehouse.text("select status from segmentation_runs where run_id = \(orphan)"), "abandoned")
        XCTAssertNotNil(try warehouse.text("select error from segmentation_runs where run_id = \(orphan)"))
        XCTAssertTrue(summary.warnings.contains { $0.contains("run \(orphan)") }, "\(summary.warnings)")
        XCTAssertEqual(try warehouse.count("select run_id from current_run"), Int(summary.runId))
    }

    func testAFailingQualityGatePublishesNothing() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        let published = try build(warehouse)
        let gates: [(String, (inout BuildOptions) -> Void)] = [
            ("--min-users", { $0.minUsers = 341 }),
            ("--max-segment-share", { $0.maxSegmentShare = 0.2 }),
        ]
        for (gate, change) in gates {
            XCTAssertThrowsError(try build(warehouse, change)) { error in
                guard case let .qualityGate(name, _)? = error as? PipelineError else { return XCTFail("\(error)") }
                XCTAssertEqual(name, gate)
            }
            XCTAssertEqual(try warehouse.count("select run_id from current_run"), Int(published.runId), gate)
        }
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs where status = 'failed' and error like 'quality gate%'"), 2)
        XCTAssertEqual(try warehouse.count("select count(*) from user_segments where run_id != \(published.runId)"), 0)
    }

    func testRejectRateGateCountsOnlyLoadsSinceThePublishedRun() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        _ = try build(warehouse) { $0.maxRejectRate = 0.01 }
        let bad = try scratch.file("bad.csv", "user_id,event_type,occurred_at\nu1,view,2024-01-01T00:00:00Z\nu2,teleport,2024-01-01T00:00:00Z\n")
        _ = try warehouse.load(file: bad, options: LoadOptions(target: .events,
                               mapping: .canonical(target: .events, format: .csv, delimiter: .comma), maxRejectRate: 1))
        XCTAssertThrowsError(try build(warehouse) { $0.maxRejectRate = 0.01 }) { error in
            guard case let .qualityGate(name, message)? = error as? PipelineError else { return XCTFail("\(error)") }
            XCTAssertEqual(name, "--max-reject-rate")
            XCTAssertTrue(message.contains("1 of 2"), message)
        }
        XCTAssertNoThrow(try build(warehouse) { $0.maxRejectRate = 0.5 })
        XCTAssertNoThrow(try build(warehouse) { $0.maxRejectRate = 0.01 }, "the bad batch came before the last publish")
    }

    func testKeepRunsDeletesOlderRunsAndTheirRows() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        var last: BuildSummary!
        for _ in 0..<4 { last = try build(warehouse) { $0.keepRuns = 2 } }
        XCTAssertEqual(last.prunedRuns, [2])
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs"), 2)
        // Every table with a run column, found from the schema (so a new table cannot be forgotten).
        let runColumns = try DatabaseQueue(path: warehouse.path).read { db in
            try Row.fetchAll(db, sql: """
                select m.name as t, c.name as c from sqlite_master as m, pragma_table_info(m.name) as c
                where m.type = 'table' and c.name in ('run_id', 'to_run_id', 'from_run_id')
                """).map { ($0["t"] as String, $0["c"] as String) }
        }
        XCTAssertGreaterThan(runColumns.count, 10)
        for (table, column) in runColumns where !(table == "published_run") && !(table == "segment_transitions" && column == "from_run_id") {
            XCTAssertEqual(try warehouse.count("select count(*) from \(table) where \(column) < 3"), 0, "\(table).\(column)")
        }
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_segments"), 340)

        // Failed runs do not count: two refused builds, then a publish keeping 2 published runs.
        for _ in 0..<2 { XCTAssertThrowsError(try build(warehouse) { $0.minUsers = 10_000 }) }
        let next = try build(warehouse) { $0.keepRuns = 2 }
        XCTAssertEqual(next.prunedRuns, [3])
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs where status = 'published'"), 2)
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs where status = 'failed'"), 2, "newer than the oldest kept publish")
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs where run_id = \(next.previousRunId ?? -1)"), 1,
                       "the run the ids were matched to stays")
    }

    func testTheStoredModelPlacesEveryClusteredUserInTheirSegment() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        let variants: [(String, (inout BuildOptions) -> Void)] = [
            ("defaults", { _ in }),
            ("robust, winsorised, PCA to 2", { $0.scaler = .robust; $0.winsorize = Winsorization(lower: 0.05, upper: 0.95); $0.reduce = .pcaCount(2) }),
            ("min-max, mean, log1p, PCA 90%", { $0.scaler = .minMax; $0.impute = .mean; $0.transform = .log1p; $0.reduce = .pcaVariance(0.9) }),
            ("mini-batch", { $0.algorithm = .minibatchKMeans }),
        ]
        for (name, change) in variants {
            let run = try build(warehouse, change)
            let model = try warehouse.readModel(runId: run.runId)
            let table = try warehouse.readFeatures(view: "user_features", asOf: run.asOf)
            let placement = try ModelPlacement(model: model, tableColumns: table.columnNames)
            let rows = try DatabaseQueue(path: warehouse.path).read { db in
                try Row.fetchAll(db, sql: "select user_id, segment_id, distance_to_centroid, pc1, pc2 from user_segments where run_id = ?",
                                 arguments: [run.runId])
            }
            let stored = Dictionary(uniqueKeysWithValues: rows.map { ($0["user_id"] as String, $0) })
            let d = table.columnNames.count
            var mismatches = 0
            for (i, user) in table.userIds.enumerated() {
                let placed = placement.place(table.values[(i * d)..<((i + 1) * d)])
                let row = try XCTUnwrap(stored[user])
                if placed.segmentId != row["segment_id"] as Int { mismatches += 1 }
                XCTAssertEqual(placed.pc1 ?? .nan, row["pc1"] as Double, accuracy: 1e-9, "\(name) \(user)")
                XCTAssertEqual(placed.pc2 ?? .nan, row["pc2"] as Double, accuracy: 1e-9, "\(name) \(user)")
                if placed.segmentId == row["segment_id"] as Int {
                    XCTAssertEqual(placed.distance ?? .nan, row["distance_to_centroid"] as Double, accuracy: 1e-9, "\(name) \(user)")
                }
            }
            // Lloyd's k-means ends with every user at their nearest centroid; mini-batch's last
            // centre update can move a boundary user or two.
            XCTAssertLessThanOrEqual(mismatches, name == "mini-batch" ? 3 : 0, name)
        }
    }

    /// Before any build, assign refuses at once (exit 66) and leaves the first load's deferred
    /// index to the build that will need it.
    func testAssignBeforeAnyBuildRefusesWithoutBuildingTheIndex() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        XCTAssertEqual(try warehouse.deferredIndexes(), ["events_by_user"])
        XCTAssertThrowsError(try Assign(warehouse: warehouse).run()) { error in
            guard case PipelineError.nothingPublished = error else { return XCTFail("\(error)") }
        }
        XCTAssertEqual(try warehouse.deferredIndexes(), ["events_by_user"])
    }

    func testAssignPlacesNewAndChangedUsersWithoutReclustering() throws {
        let warehouse = try scratch.warehouse()
        try load(try early(), into: warehouse)
        let run = try build(warehouse)
        let before = try segments(warehouse, run: run.runId)
        XCTAssertEqual(try Assign(warehouse: warehouse).run().usersChanged, 0)
        // A new customer whose history equals customer 00002's (early 1997, nothing since), and a
        // purchase by an existing customer.
        let file = try scratch.file("new.csv", """
            user_id,event_type,occurred_at,quantity,amount
            clone-of-00002,purchase,1997-01-12T00:00:00Z,1,12.00
            clone-of-00002,purchase,1997-01-12T00:00:00Z,5,77.00
            00001,purchase,1998-03-30T00:00:00Z,3,40.00
            """ + "\n")
        _ = try warehouse.load(file: file, options: LoadOptions(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma)))
        let summary = try Assign(warehouse: warehouse).run()
        XCTAssertEqual([summary.usersChanged, summary.usersAssigned, summary.usersNew], [2, 2, 1])
        let after = try segments(warehouse, run: run.runId)
        XCTAssertEqual(after["clone-of-00002"], before["00002"], "same features, same segment")
        XCTAssertEqual(try warehouse.count("select count(*) from user_segments where run_id = \(run.runId) and assignment = 'assigned'"), 2)
        XCTAssertEqual(try warehouse.count("select count(*) from user_segments where run_id = \(run.runId) and assignment = 'assigned' and assigned_at is null"), 0)
        XCTAssertEqual(try warehouse.count("select count(*) from current_user_segments"), 341)
        XCTAssertEqual(try warehouse.count("select count(*) from segmentation_runs"), 1, "no new run")
    }
}
