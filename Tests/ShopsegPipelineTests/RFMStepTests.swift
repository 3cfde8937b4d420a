import Foundation
import GRDB
@testable import ShopsegPipeline
import ShopsegWarehouse
import XCTest

/// RFM scores read from the bundled `user_features` rows are those of a separate `user_rfm`
/// pass; an edited feature view is never trusted for them.
final class RFMStepTests: XCTestCase {
    private var scratch: Scratch!
    override func setUpWithError() throws { scratch = try Scratch() }
    override func tearDown() { scratch = nil }

    static let asOf = "2024-02-01T00:00:00Z"

    private func loaded() throws -> Warehouse {
        var csv = "user_id,event_type,occurred_at,item_id,category,order_id,quantity,unit_price,amount,rating,review_text,session_id\n"
        for u in 0..<30 {
            csv += "u\(u),view,2024-01-01T10:00:00Z,I\(u % 4),books,,,,,,,s\(u)\n"
            for p in 0..<(u % 5) {
                csv += "u\(u),purchase,2024-01-\(String(format: "%02d", 2 + (u * 7 + p * 3) % 27))T12:00:00Z,I1,books,O\(u)-\(p),1,\(u + p),\(u * 3 + p),,,s\(u)\n"
            }
        }
        let warehouse = try scratch.warehouse()
        _ = try warehouse.load(file: try scratch.file("e.csv", csv),
                               options: .init(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma)))
        return warehouse
    }

    private func separatePass(_ warehouse: Warehouse, userIds: [String]) throws -> [RFMScoring.Score?] {
        var warnings: [String] = []
        return RFMStep.scores(try warehouse.readFeatures(view: "user_rfm", asOf: Self.asOf), userIds: userIds, warnings: &warnings)
    }

    func testBundledFeatureRowsGiveTheScoresOfAUserRFMPass() throws {
        let warehouse = try loaded()
        let features = try warehouse.readFeatures(view: "user_features", asOf: Self.asOf)
        var warnings: [String] = []
        let scores = RFMStep.scores(warehouse: warehouse, asOf: Self.asOf, features: features, userIds: features.userIds, warnings: &warnings)
        XCTAssertEqual(warnings, [])
        XCTAssertEqual(scores.count, 30)
        XCTAssertEqual(scores, try separatePass(warehouse, userIds: features.userIds))
        XCTAssertGreaterThan(Set(scores.map { $0?.cell }).count, 3, "the scores are not all alike")
    }

    func testAnEditedFeatureViewIsNotUsedForTheScores() throws {
        let warehouse = try loaded()
        try DatabaseQueue(path: warehouse.path).write { db in
            try db.execute(sql: "drop view user_features")
            try db.execute(sql: """
                create view user_features as
                select user_id, recency_days, -frequency as frequency, monetary_total from user_rfm
                """)
        }
        let features = try warehouse.readFeatures(view: "user_features", asOf: Self.asOf)
        var warnings: [String] = []
        let scores = RFMStep.scores(warehouse: warehouse, asOf: Self.asOf, features: features, userIds: features.userIds, warnings: &warnings)
        XCTAssertEqual(scores, try separatePass(warehouse, userIds: features.userIds))
        XCTAssertNotEqual(scores, RFMStep.scores(features, userIds: features.userIds, warnings: &warnings), "the edited view's frequency differs")
    }
}
