import XCTest
@testable import ShopsegIngest

/// JSON Lines: one flat object per non-blank line.
final class JSONLinesReaderTests: XCTestCase {
    func testObjectsValuesAndLineNumbers() {
        let text = "{\"user_id\":\"00001\",\"n\":2,\"p\":1.50,\"ok\":true,\"x\":null}\r\n\n  \n{\"user_id\":\"u2\",\"n\":0}\n"
        var reader = JSONLinesReader(bytes: Array(text.utf8))
        XCTAssertTrue(reader.nextRecord())
        XCTAssertEqual(reader.line, 1)
        XCTAssertNil(reader.malformed)
        XCTAssertEqual(reader.object["user_id"], .text("00001"))
        XCTAssertEqual(reader.object["n"], .text("2"))
        XCTAssertEqual(reader.object["p"], .text("1.5"))
        XCTAssertEqual(reader.object["ok"], .text("true"))
        XCTAssertEqual(reader.object["x"], .null)
        XCTAssertEqual(reader.rawText, "{\"user_id\":\"00001\",\"n\":2,\"p\":1.50,\"ok\":true,\"x\":null}")
        XCTAssertTrue(reader.nextRecord())
        XCTAssertEqual(reader.line, 4)
        XCTAssertEqual(reader.object["n"], .text("0"))
        XCTAssertFalse(reader.nextRecord())
    }

    func testLinesThatAreNotObjectsAreMalformed() {
        var reader = JSONLinesReader(bytes: Array("[1,2]\n\"text\"\n{\"a\":\n{\"a\":[1]}\n".utf8))
        XCTAssertTrue(reader.nextRecord()); XCTAssertEqual(reader.malformed, "expected a JSON object, found an array")
        XCTAssertTrue(reader.nextRecord()); XCTAssertEqual(reader.malformed, "expected a JSON object, found a string")
        XCTAssertTrue(reader.nextRecord()); XCTAssertEqual(reader.malformed, "not valid JSON")
        XCTAssertEqual(reader.line, 3)
        XCTAssertTrue(reader.nextRecord()); XCTAssertNil(reader.malformed); XCTAssertEqual(reader.object["a"], .nested)
        XCTAssertFalse(reader.nextRecord())
    }

    func testByteOrderMark() {
        var reader = JSONLinesReader(bytes: [0xEF, 0xBB, 0xBF] + Array("{\"a\":\"b\"}".utf8))
        XCTAssertTrue(reader.nextRecord())
        XCTAssertEqual(reader.object["a"], .text("b"))
    }

    func testEventsThroughTheFileReader() throws {
        let text = """
        {"user_id":"00007","event_type":"view","occurred_at":"2024-03-01T10:00:00Z","item_id":42,"rating":null}
        {"user_id":"u2","event_type":"purchase","occurred_at":"2024-03-01T11:00:00+01:00","amount":"9.99"}
        {"event_type":"view","occurred_at":"2024-03-01T10:00:00Z"}
        [1]
        {"user_id":"u3","event_type":"view","occurred_at":"2024-03-01T10:00:00Z","item_id":{"id":1}}
        """
        let mapping = SourceMapping.canonical(target: .events, format: .jsonl, delimiter: .comma)
        var reader = try SourceFileReader(bytes: Array(text.utf8), name: "e.jsonl", mapping: mapping, target: .events)
        var records: [ParsedRecord] = []
        while let r = reader.next() { records.append(r) }
        XCTAssertEqual(records.count, 5)
        XCTAssertEqual(records[0], .accepted(line: 1, row: .event(EventRow(
            userId: "00007", eventType: .view, occurredAt: 1_709_287_200, itemId: "42"))))
        XCTAssertEqual(records[1], .accepted(line: 2, row: .event(EventRow(
            userId: "u2", eventType: .purchase, occurredAt: 1_709_287_200, amount: 9.99))))
        XCTAssertEqual(records[2], .rejected(line: 3, rawText: "{\"event_type\":\"view\",\"occurred_at\":\"2024-03-01T10:00:00Z\"}",
                                             reason: "user_id (key 'user_id'): missing — every event needs a user"))
        XCTAssertEqual(records[3], .rejected(line: 4, rawText: "[1]", reason: "expected a JSON object, found an array"))
        guard case .rejected(5, _, let reason) = records[4] else { return XCTFail("\(records[4])") }
        XCTAssertEqual(reason, "item_id (key 'item_id'): expected a string, number, boolean or null, got an array or object")
        XCTAssertEqual(reader.bytesRead, reader.totalBytes)
    }

    func testNULCharactersAreRefusedAndIntegralNumbersStayIntegers() {
        let text = "{\"user_id\":\"e\\u0000x\"}\n{\"user_id\":1e3,\"amount\":1000.0,\"rating\":4.5}\n"
        var reader = JSONLinesReader(bytes: Array(text.utf8))
        XCTAssertTrue(reader.nextRecord())
        XCTAssertEqual(reader.malformed, "key 'user_id' contains a NUL character (binary data is not text)")
        XCTAssertTrue(reader.nextRecord())
        XCTAssertNil(reader.malformed)
        XCTAssertEqual(reader.object["user_id"], .text("1000"))
        XCTAssertEqual(reader.object["amount"], .text("1000"))
        XCTAssertEqual(reader.object["rating"], .text("4.5"))
    }
}
