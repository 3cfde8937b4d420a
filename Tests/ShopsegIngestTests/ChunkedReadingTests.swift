import Foundation
import XCTest
@testable import ShopsegIngest

/// Reading a file in chunks gives exactly what reading it whole gives, wherever the chunk
/// boundaries fall: inside a quoted field that spans lines, between the CR and LF of a CRLF,
/// inside the BOM, in a blank line, in an unterminated quote.
final class ChunkedReadingTests: XCTestCase {
    private let csvTexts = [
        "\u{FEFF}id,text\r\n1,\"a, b\"\r\n2,\"say \"\"hi\"\"\"\r\n3,\"two\r\nlines\"\r\n\r\n  \r\n4,\"ab\"c\r\n5,x",
        "id,text\n1,\"quoted\nacross\nthree lines\"\n2,plain\n\n3,\"\"\n",
        "a,b\n1,2\n3,\"open\n4,5\n6,7\n",
        "x\r\n 1 , \"a\"\"b\" \r\n2,\"q\"\r\n",
        "a,b\n1,\u{e9}t\u{e9}\n",
    ]

    private func file(_ bytes: [UInt8]) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("chunked-\(UUID().uuidString)")
        try Data(bytes).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url
    }

    private struct Record: Equatable { let line: Int; let fields: [String]; let raw: String; let malformed: String? }

    private func csvRecords(_ reader: CSVReader) -> [Record] {
        var reader = reader, out: [Record] = []
        while reader.nextRecord() {
            out.append(Record(line: reader.line, fields: reader.fields, raw: reader.rawText, malformed: reader.malformed))
        }
        XCTAssertNil(reader.readError)
        return out
    }

    func testCSVRecordsAreTheSameForEveryChunkSize() throws {
        for text in csvTexts {
            let bytes = Array(text.utf8)
            let url = try file(bytes)
            for delimiter in [Delimiter.comma, .whitespace] {
                let whole = csvRecords(CSVReader(bytes: bytes, delimiter: delimiter))
                for chunk in 1...(bytes.count + 1) {
                    let window = ByteWindow(handle: try FileHandle(forReadingFrom: url), chunkSize: chunk)
                    XCTAssertEqual(csvRecords(CSVReader(window: window, delimiter: delimiter)), whole,
                                   "chunk \(chunk), \(delimiter): \(text.debugDescription)")
                }
            }
        }
    }

    func testJSONLinesAreTheSameForEveryChunkSize() throws {
        let text = "\u{FEFF}{\"a\":\"1\"}\r\n\r\n{\"a\":\"two\\nlines\"}\n  \n[1]\n{\"a\":2}"
        let bytes = Array(text.utf8)
        let url = try file(bytes)
        func lines(_ reader: JSONLinesReader) -> [String] {
            var reader = reader, out: [String] = []
            while reader.nextRecord() { out.append("\(reader.line) \(reader.rawText) \(reader.object) \(reader.malformed ?? "")") }
            return out
        }
        let whole = lines(JSONLinesReader(bytes: bytes))
        XCTAssertEqual(whole.count, 4)
        for chunk in 1...(bytes.count + 1) {
            let window = ByteWindow(handle: try FileHandle(forReadingFrom: url), chunkSize: chunk)
            XCTAssertEqual(lines(JSONLinesReader(window: window)), whole, "chunk \(chunk)")
        }
    }

    /// A quoted field spanning the boundary of 7-byte chunks, and a CRLF cut in two by it.
    func testSourceFileReaderWithSmallChunks() throws {
        let text = "user_id,event_type,occurred_at,review_text\r\n"
            + "u1,rating,2025-01-02T03:04:05Z,\"great,\r\nwould buy again\"\r\n"
            + "u2,view,not a time,\r\n"
            + "u3,view,2025-01-02T03:04:06Z,\r\n"
        let bytes = Array(text.utf8)
        let url = try file(bytes)
        let mapping = SourceMapping.canonical(target: .events, format: .csv, delimiter: .comma)
        var whole = try SourceFileReader(bytes: bytes, name: url.path, mapping: mapping, target: .events)
        var chunked = try SourceFileReader(file: url, mapping: mapping, target: .events, chunkSize: 7)
        var expected: [ParsedRecord] = [], got: [ParsedRecord] = []
        while let r = whole.next() { expected.append(r) }
        while let r = chunked.next() { got.append(r) }
        XCTAssertEqual(got, expected)
        XCTAssertEqual(got.count, 3)
        guard case .accepted(2, .event(let e)) = got[0] else { return XCTFail("\(got[0])") }
        XCTAssertEqual(e.reviewText, "great,\r\nwould buy again")
        guard case .rejected(4, "u2,view,not a time,", _) = got[1] else { return XCTFail("\(got[1])") }
        XCTAssertEqual(chunked.bytesRead, bytes.count)
        XCTAssertEqual(chunked.totalBytes, bytes.count)
        XCTAssertNil(chunked.readError)
    }
}

/// The loader's allocation-free time text is the same text as `UTCTime.iso8601`.
final class UTCTimeBytesTests: XCTestCase {
    func testWrittenBytesEqualTheFormattedText() {
        let out = UnsafeMutablePointer<UInt8>.allocate(capacity: 20)
        defer { out.deallocate() }
        for t: Int64 in [0, 852_076_800, 1_700_000_000, 951_782_400, -1, -62_167_219_200, 253_402_300_799, 4_102_444_799] {
            XCTAssertEqual(UTCTime.writeISO8601(t, into: out).map { String(decoding: UnsafeBufferPointer(start: out, count: $0), as: UTF8.self) },
                           UTCTime.iso8601(t), "\(t)")
        }
        XCTAssertNil(UTCTime.writeISO8601(253_402_300_800, into: out), "year 10000")
        XCTAssertNil(UTCTime.writeISO8601(-62_167_219_201, into: out), "year -1")
    }
}
