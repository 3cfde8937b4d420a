import XCTest
@testable import ShopsegIngest

/// The byte-level CSV reader: delimiters, quoting, BOM, line ends, blank lines, line numbers.
final class CSVReaderTests: XCTestCase {
    /// All records of `text` as (line, fields, malformed?).
    private func records(_ text: String, _ delimiter: Delimiter = .comma) -> [(Int, [String], String?)] {
        records(Array(text.utf8), delimiter)
    }

    private func records(_ bytes: [UInt8], _ delimiter: Delimiter = .comma) -> [(Int, [String], String?)] {
        var reader = CSVReader(bytes: bytes, delimiter: delimiter)
        var out: [(Int, [String], String?)] = []
        while reader.nextRecord() { out.append((reader.line, reader.fields, reader.malformed)) }
        return out
    }

    func testEveryDelimiter() {
        let cases: [(Delimiter, String)] = [(.comma, "a,b,c\n"), (.tab, "a\tb\tc\n"), (.semicolon, "a;b;c\n"),
                                            (.pipe, "a|b|c\n"), (.whitespace, "  a   b\t c  \n")]
        for (delimiter, text) in cases {
            let r = records(text, delimiter)
            XCTAssertEqual(r.count, 1, "\(delimiter)")
            XCTAssertEqual(r.first?.1, ["a", "b", "c"], "\(delimiter)")
        }
        // A comma is data in a semicolon file, and a space is data in a comma file.
        XCTAssertEqual(records("a,b;c d\n", .semicolon).first?.1, ["a,b", "c d"])
        XCTAssertEqual(records(" a , b\n", .comma).first?.1, [" a ", " b"])
    }

    func testEmptyFieldsAreKept() {
        XCTAssertEqual(records("a,,c,\n").first?.1, ["a", "", "c", ""])
        XCTAssertEqual(records(",\n").first?.1, ["", ""])
    }

    func testQuotedDelimiterEscapedQuoteAndEmbeddedNewline() {
        let text = "id,text\n1,\"a, b\"\n2,\"say \"\"hi\"\"\"\n3,\"two\nlines\"\n4,\"\"\n5,x\n"
        let r = records(text)
        XCTAssertEqual(r.map(\.0), [1, 2, 3, 4, 6, 7])
        XCTAssertEqual(r[1].1, ["1", "a, b"])
        XCTAssertEqual(r[2].1, ["2", "say \"hi\""])
        XCTAssertEqual(r[3].1, ["3", "two\nlines"])
        XCTAssertEqual(r[4].1, ["4", ""])
        XCTAssertEqual(r[5].1, ["5", "x"])
    }

    func testQuoteInsideUnquotedFieldAndTextAfterClosingQuote() {
        XCTAssertEqual(records("ab\"c,\"x\"y\n").first?.1, ["ab\"c", "xy"])
    }

    func testByteOrderMarkIsSkipped() {
        let r = records([0xEF, 0xBB, 0xBF] + Array("user_id,x\n1,2\n".utf8))
        XCTAssertEqual(r.first?.1, ["user_id", "x"])
        XCTAssertEqual(r.count, 2)
    }

    func testCRLFLineEnds() {
        let r = records("a,b\r\n1,\"x\r\ny\"\r\n2,z\r\n")
        XCTAssertEqual(r.map(\.1), [["a", "b"], ["1", "x\r\ny"], ["2", "z"]])
        XCTAssertEqual(r.map(\.0), [1, 2, 4])
        XCTAssertEqual(records(" 00001 19970101  1   11.77\r\n", .whitespace).first?.1, ["00001", "19970101", "1", "11.77"])
    }

    func testBlankLinesAreSkippedButCounted() {
        let r = records("\na,b\n\n   \n\r\n1,2\n\n")
        XCTAssertEqual(r.map(\.0), [2, 6])
        XCTAssertEqual(r.map(\.1), [["a", "b"], ["1", "2"]])
    }

    func testLastLineWithoutNewline() {
        XCTAssertEqual(records("a,b\n1,2").map(\.1), [["a", "b"], ["1", "2"]])
        XCTAssertEqual(records("1 2", .whitespace).map(\.1), [["1", "2"]])
    }

    func testUnterminatedQuoteMakesTheRestOneMalformedRecord() {
        var reader = CSVReader(bytes: Array("a,b\n1,2\n3,\"open\n4,5\n6,7\n".utf8), delimiter: .comma)
        XCTAssertTrue(reader.nextRecord()); XCTAssertTrue(reader.nextRecord())
        XCTAssertTrue(reader.nextRecord())
        XCTAssertEqual(reader.line, 3)
        XCTAssertEqual(reader.malformed, "unterminated quoted field in column 2 (the quote opened on line 3 is never closed)")
        XCTAssertEqual(reader.rawText, "3,\"open\n4,5\n6,7\n")
        XCTAssertFalse(reader.nextRecord())
    }

    func testRawTextIsTheExactRecordWithoutTerminator() {
        var reader = CSVReader(bytes: Array("x\r\n 1 , \"a\"\"b\" \r\n".utf8), delimiter: .comma)
        XCTAssertTrue(reader.nextRecord()); XCTAssertTrue(reader.nextRecord())
        XCTAssertEqual(reader.rawText, " 1 , \"a\"\"b\" ")
    }

    func testWhitespaceModeHasNoQuoting() {
        XCTAssertEqual(records("\"a b\" c\n", .whitespace).first?.1, ["\"a", "b\"", "c"])
    }

    func testNonASCIIFieldsDecodeAsUTF8() {
        XCTAssertEqual(records("Zoë,£5,Â£\n").first?.1, ["Zoë", "£5", "Â£"])
    }

    func testPositionReachesTheEnd() {
        let bytes = Array("a,b\n1,2\n".utf8)
        var reader = CSVReader(bytes: bytes, delimiter: .comma)
        while reader.nextRecord() {}
        XCTAssertEqual(reader.bytesConsumed, bytes.count)
    }

    func testInvalidUTF8MakesTheRecordMalformedAndNamesTheByte() {
        let latin1: [UInt8] = Array("a,caf".utf8) + [0xE9] + Array("\nb,ok\nc,caf\u{00E9}\n".utf8)
        let r = records(latin1)
        XCTAssertEqual(r.count, 3)
        XCTAssertEqual(r[0].2?.hasPrefix("not valid UTF-8 (byte 0xE9 at byte 6 of the record)"), true, r[0].2 ?? "nil")
        XCTAssertNil(r[1].2)
        XCTAssertNil(r[2].2, "valid multi-byte UTF-8 is fine")
        XCTAssertEqual(r[2].1, ["c", "café"])
    }

    func testNULBytesMakeTheRecordMalformed() {
        let r = records([UInt8]("u1,a".utf8) + [0] + [UInt8]("b\nu2,ok\n".utf8))
        XCTAssertEqual(r[0].2, "contains a NUL byte at byte 5 of the record (binary data is not text)")
        XCTAssertNil(r[1].2)
    }

    func testNumbersThatOverflowAreNotNumbers() {
        XCTAssertNil(DecimalNumber.parse(String(repeating: "9", count: 400)))
        XCTAssertEqual(DecimalNumber.parse("12.50")?.value, 12.5)
    }
}
