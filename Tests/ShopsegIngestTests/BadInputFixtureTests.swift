import XCTest
@testable import ShopsegIngest

/// `Fixtures/ingest/bad_events.csv`: good rows are accepted, each bad row is
/// rejected with its line number, raw text and reason.
final class BadInputFixtureTests: XCTestCase {
    private func fixture(_ name: String) throws -> URL {
        let dir = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
        return dir.appendingPathComponent("ingest").appendingPathComponent(name)
    }

    func testEachBadRowIsRejectedWithLineAndReason() throws {
        let mapping = try SourceMapping.load(from: try fixture("bad_events.yaml"))
        var reader = try SourceFileReader(file: try fixture("bad_events.csv"), mapping: mapping, target: .events)
        var records: [ParsedRecord] = []
        while let record = reader.next() { records.append(record) }
        let jan = { (day: Int64) in (UTCTime.days(year: 1997, month: 1, day: day)) * 86_400 }
        XCTAssertEqual(records, [
            .accepted(line: 2, row: .event(EventRow(userId: "00001", eventType: .purchase, occurredAt: jan(1),
                                                    itemId: "i1", amount: 11.77, reviewText: "fine"))),
            .rejected(line: 3, rawText: "u002,purchase,19970102,i2,abc,bad amount",
                      reason: "amount (column 'dollar_value'): expected a number, got 'abc'"),
            .rejected(line: 4, rawText: ",view,19970103,i3,,no user",
                      reason: "user_id (column 'customer'): empty — every event needs a user"),
            .rejected(line: 5, rawText: "u004,purchase,19970230,i4,5.00,impossible date",
                      reason: "occurred_at (column 'date'): expected yyyyMMdd, got '19970230' (no such date)"),
            .rejected(line: 6, rawText: "u005,purchase,19970105,i5",
                      reason: "expected 6 fields, found 4"),
            .rejected(line: 7, rawText: "u006,click,19970106,i6,,unknown type",
                      reason: "event_type (column 'type'): 'click' is not one of view, cart, purchase, return, rating"),
            .accepted(line: 8, row: .event(EventRow(userId: "u007", eventType: .rating, occurredAt: jan(7),
                                                    itemId: "i7", reviewText: "great,\nwould buy \"again\""))),
            .accepted(line: 10, row: .event(EventRow(userId: "u008", eventType: .cart, occurredAt: jan(8),
                                                     itemId: "i8", amount: 3.5, reviewText: "last"))),
        ])
        XCTAssertEqual(reader.bytesRead, reader.totalBytes)
    }

    func testMissingFileIsAnError() throws {
        let mapping = SourceMapping.canonical(target: .events, format: .csv, delimiter: .comma)
        let url = try fixture("no_such_file.csv")
        XCTAssertThrowsError(try SourceFileReader(file: url, mapping: mapping, target: .events)) { error in
            XCTAssertEqual(error as? IngestError, .fileNotFound(file: url.path))
            XCTAssertEqual("\(error)", "\(url.path): no such file")
        }
    }
}
