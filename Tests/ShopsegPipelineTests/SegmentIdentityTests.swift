@testable import ShopsegPipeline
import XCTest

/// The matching rule of stable segment ids, on hand-made partitions.
final class SegmentIdentityTests: XCTestCase {
    private func users(_ prefix: String, _ count: Int) -> [String] { (0..<count).map { "\(prefix)\($0)" } }

    func testAClusterKeepsAnIdOnlyWithAMajorityBothWays() throws {
        // Previous run: segment 7 = a0…a99, segment 8 = b0…b9.
        var previous: [String: Int] = [:]
        for u in users("a", 100) { previous[u] = 7 }
        for u in users("b", 10) { previous[u] = 8 }
        // New run: cluster 0 = a0…a89 (most of 7), cluster 1 = a90…a99 + b0…b1 (a sliver of 7,
        // two of 8), cluster 2 = b2…b9 (most of 8).
        let ids = users("a", 100) + users("b", 10)
        let labels = (0..<90).map { _ in 0 } + (0..<10).map { _ in 1 } + [1, 1] + (0..<8).map { _ in 2 }
        let identity = try SegmentIdentity(userIds: ids, labels: labels, clusterCount: 3, previous: previous, firstFreshId: 9)
        XCTAssertEqual(identity.segmentIdOfLabel, [7, 9, 8], "the sliver gets a fresh id")
        XCTAssertEqual(identity.lineage.first { $0.segmentId == 7 }, .init(segmentId: 7, status: "kept", sharedUsers: 90))
        XCTAssertEqual(identity.lineage.first { $0.segmentId == 9 }?.status, "new")
        XCTAssertEqual(identity.transitions[.init(from: 7, to: 9)], 10)
        XCTAssertEqual(identity.transitions[.init(from: 8, to: 9)], 2)
    }

    func testASmallClusterMadeOnlyOfAnOldSegmentsUsersDoesNotInheritItsId() throws {
        var previous: [String: Int] = [:]
        for u in users("a", 100) { previous[u] = 3 }
        // 29 of the 100 form a cluster; the other 71 are noise now.
        let labels = (0..<29).map { _ in 0 } + (0..<71).map { _ in -1 }
        let identity = try SegmentIdentity(userIds: users("a", 100), labels: labels, clusterCount: 1, previous: previous, firstFreshId: 4)
        XCTAssertEqual(identity.segmentIdOfLabel, [4])
        XCTAssertEqual(identity.lineage.map(\.status).sorted(), ["new", "noise", "vanished"])
        XCTAssertEqual(identity.lineage.first { $0.segmentId == -1 }?.sharedUsers, 0, "none of them was noise before")
    }

    func testTheSamePartitionKeepsEveryIdWhateverTheLabelNumbers() throws {
        var previous: [String: Int] = [:]
        let all = users("u", 30)
        for (i, u) in all.enumerated() { previous[u] = [12, 5, 9][i % 3] }
        let labels = all.indices.map { [2, 0, 1][$0 % 3] }
        let identity = try SegmentIdentity(userIds: all, labels: labels, clusterCount: 3, previous: previous, firstFreshId: 13)
        XCTAssertEqual(identity.segmentIdOfLabel, [5, 9, 12])
        XCTAssertEqual(identity.transitions.count, 3, "everyone stays: three diagonal cells")
    }
}
