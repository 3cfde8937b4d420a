import XCTest
@testable import ShopsegIngest

/// The shipped mappings in `examples/mappings/` on the committed slices of the real files.
final class ExampleMappingTests: XCTestCase {
    /// The package root, found from this file (`Tests/ShopsegIngestTests/…`).
    private var root: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }

    private func fixture(_ path: String) throws -> URL {
        try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil)).appendingPathComponent(path)
    }

    private func load(_ data: URL, _ mapping: SourceMapping, _ target: LoadTarget = .events)
        throws -> (accepted: [CanonicalRow], rejected: [(Int, String)]) {
        var reader = try SourceFileReader(file: data, mapping: mapping, target: target)
        var accepted: [CanonicalRow] = [], rejected: [(Int, String)] = []
        while let record = reader.next() {
            switch record {
            case .accepted(_, let row): accepted.append(row)
            case .rejected(let line, _, let reason): rejected.append((line, reason))
            }
        }
        XCTAssertEqual(reader.bytesRead, reader.totalBytes)
        return (accepted, rejected)
    }

    private func events(_ rows: [CanonicalRow]) -> [EventRow] {
        rows.compactMap { if case .event(let e) = $0 { return e }; return nil }
    }

    func testCDNOWMasterSliceLoadsEveryLine() throws {
        let mapping = try SourceMapping.load(from: root.appendingPathComponent("examples/mappings/cdnow_master.yaml"))
        let result = try load(try fixture("cdnow/CDNOW_master_slice.txt"), mapping)
        XCTAssertEqual(result.accepted.count, 1784)
        XCTAssertTrue(result.rejected.isEmpty, "\(result.rejected.prefix(3))")
        let rows = events(result.accepted)
        XCTAssertEqual(rows.first, EventRow(userId: "00001", eventType: .purchase, occurredAt: 852_076_800,
                                            quantity: 1, amount: 11.77))
        XCTAssertEqual(Set(rows.map(\.userId)).count, 340)
    }

    func testOnlineRetailSliceRejectsGuestLinesAndMarksCancellationsAsReturns() throws {
        let mapping = try SourceMapping.load(from: root.appendingPathComponent("examples/mappings/online_retail.yaml"))
        let result = try load(try fixture("online_retail/online_retail_first3999.csv"), mapping)
        XCTAssertEqual(result.accepted.count + result.rejected.count, 3999)
        XCTAssertEqual(result.rejected.count, 1151)
        XCTAssertTrue(result.rejected.allSatisfy { $0.1 == "user_id (column 'CustomerID'): empty — every event needs a user" })
        let rows = events(result.accepted)
        XCTAssertEqual(Set(rows.map(\.userId)).count, 144)
        XCTAssertTrue(rows.filter { $0.eventType == .return }.allSatisfy { $0.orderId!.hasPrefix("C") && $0.quantity! < 0 })
        XCTAssertEqual(rows.first, EventRow(userId: "17850", eventType: .purchase, occurredAt: 1_291_191_960,
                                            itemId: "85123A", orderId: "536365", quantity: 6, unitPrice: 2.55, amount: 15.3))
    }

    func testCDNOWSampleMappingIsValid() throws {
        let mapping = try SourceMapping.load(from: root.appendingPathComponent("examples/mappings/cdnow_sample.yaml"))
        XCTAssertFalse(mapping.hasHeader)
        XCTAssertEqual(mapping.fields["user_id"]?.column, "master_customer_id")
        let text = " 00004 0001 19970101  2   29.33\n"
        var reader = try SourceFileReader(bytes: Array(text.utf8), name: "sample", mapping: mapping, target: .events)
        XCTAssertEqual(reader.next(), .accepted(line: 1, row: .event(EventRow(
            userId: "00004", eventType: .purchase, occurredAt: 852_076_800, quantity: 2, amount: 29.33))))
    }
}
