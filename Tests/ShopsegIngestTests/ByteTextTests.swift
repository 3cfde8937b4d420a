import XCTest
@testable import ShopsegIngest

/// The byte-level helpers the row mapper uses instead of `String` work: each must give what the
/// `String` operation it replaces gives, on ASCII, non-ASCII and edge cases.
final class ByteTextTests: XCTestCase {
    private func withBytes<T>(_ text: String, _ body: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        Array(text.utf8).withUnsafeBufferPointer(body)
    }

    private func trimmed(_ text: String) -> String {
        withBytes(text) { String(decoding: ByteText.trimmed($0), as: UTF8.self) }
    }

    func testTrimmedBytesMatchStringTrimming() {
        let cases = ["", " ", "  \t\r\n ", "a", " a", "a ", " a b ", "\tZoë\r\n", "\u{00A0}x\u{00A0}", " 用户 ",
                     "\u{2003}em\u{2003}", "e\u{0301} ", "\n\nx\n\n", "x\ty"]
        for text in cases {
            XCTAssertEqual(trimmed(text), RowMapper.trimmed(text), "\(Array(text.utf8))")
        }
        // Only ASCII space, tab, CR and LF are trimmed: a no-break space stays.
        XCTAssertEqual(trimmed("\u{00A0}x\u{00A0}"), "\u{00A0}x\u{00A0}")
        XCTAssertEqual(trimmed(" \t a b \r\n"), "a b")
        XCTAssertEqual(trimmed(" \t\r\n"), "")
    }

    func testEventTypeBytesMatchRawValues() {
        for type in EventType.allCases {
            XCTAssertEqual(withBytes(type.rawValue) { ByteText.eventType($0) }, type)
        }
        // Case, neighbours, combining marks and look-alikes are not event types, as for `EventType(rawValue:)`.
        let others = ["", "View", "VIEW", "vie", "views", "car", "carts", "purchas", "purchases", "Return", "ratin",
                      "vie\u{0301}w", "view\u{0301}", "cart\u{200B}", "\u{212A}", " view", "view ", "рurchase"]
        for text in others {
            XCTAssertNil(withBytes(text) { ByteText.eventType($0) }, text)
            XCTAssertNil(EventType(rawValue: text), text)
        }
    }

    func testNumbersFromBytesMatchDoubleParsing() {
        let cases = ["0", "-0", "+0", "1", "-1", "+3", ".5", "-.5", "5.", "12.50", "0.1", "0.2", "0.3", "2.55", "17.15",
                     "33.34", "3.3333333333333335", "0.30000000000000004", "999999999999999", "1000000000000000",
                     "9007199254740993", "99999999999999999", "0000000000000000000012.5", "123456789.123456789",
                     "0.1234567890123456789012345", "0.000000000000000000001", "0.0000000000000000000001",
                     "123456789012345678901234.5", "1" + String(repeating: "0", count: 22) + ".0",
                     "4.35", "1.005", "8.675", "1e-5"]
        for text in cases {
            let bytes = withBytes(text) { DecimalNumber.parse($0) }
            let expected = Double(text).map { ($0, text.split(separator: ".", omittingEmptySubsequences: false).dropFirst().first?.count ?? 0) }
            if text.contains("e") {
                XCTAssertNil(bytes, text)
                continue
            }
            XCTAssertEqual(bytes?.value.bitPattern, expected?.0.bitPattern, text)
            XCTAssertEqual(bytes?.decimals, expected?.1, text)
        }
        XCTAssertEqual(withBytes("-0") { DecimalNumber.parse($0) }?.value.sign, .minus)
    }

    func testNumbersFromBytesMatchDoubleParsingOnRandomDecimals() {
        var g = SplitMix64(seed: 6)
        for _ in 0..<20_000 {
            let intDigits = Int.random(in: 0...12, using: &g), fracDigits = Int.random(in: 0...10, using: &g)
            guard intDigits + fracDigits > 0 else { continue }
            var text = Bool.random(using: &g) ? "-" : ""
            for _ in 0..<intDigits { text += String(Int.random(in: 0...9, using: &g)) }
            if fracDigits > 0 { text += "." }
            for _ in 0..<fracDigits { text += String(Int.random(in: 0...9, using: &g)) }
            guard text != "-" else { continue }
            let parsed = withBytes(text) { DecimalNumber.parse($0) }
            XCTAssertEqual(parsed?.value.bitPattern, Double(text)?.bitPattern, text)
        }
    }

    func testNotPlainDecimalsAreRejectedFromBytes() {
        for text in ["", "-", "+", ".", "+.", "-.", "1,5", "1e3", "nan", "inf", "0x10", "1_000", " 1", "1 ", "1.2.3",
                     "٣", "１２", "£5", String(repeating: "9", count: 400)] {
            XCTAssertNil(withBytes(text) { DecimalNumber.parse($0) }, text)
        }
    }

    func testFirstNonASCIIOrNULFindsTheFirstSuchByte() {
        func first(_ bytes: [UInt8]) -> Int? { bytes.withUnsafeBufferPointer { CSVReader.firstNonASCIIOrNUL($0) } }
        XCTAssertNil(first([]))
        XCTAssertNil(first(Array("plain ascii text, longer than eight bytes".utf8)))
        // Every position, before, inside and after the eight-byte blocks; the first one wins.
        for length in [1, 7, 8, 9, 16, 23] {
            for position in 0..<length {
                for bad: UInt8 in [0, 0x80, 0xC3, 0xFF] {
                    var bytes = [UInt8](repeating: UInt8(ascii: "a"), count: length)
                    bytes[position] = bad
                    if position + 1 < length { bytes[length - 1] = 0 }
                    XCTAssertEqual(first(bytes), position, "length \(length), byte \(bad) at \(position)")
                }
            }
        }
        // 0x01 and 0x7F are ASCII (the zero-byte test must not fire on them).
        XCTAssertNil(first([UInt8](repeating: 0x01, count: 17)))
        XCTAssertNil(first([UInt8](repeating: 0x7F, count: 17)))
    }
}

/// A small seeded generator (SplitMix64), so the random cases are the same on every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
