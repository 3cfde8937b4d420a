import XCTest
@testable import ShopsegIngest

/// Date/time formats: patterns, iso8601, unix, unix_ms; strict validation; UTC formatting.
final class TimestampFormatTests: XCTestCase {
    /// UTC instant of `text` in `format`, formatted as ISO text, or the failure detail.
    private func utc(_ text: String, _ format: TimestampFormat, zone: String = "UTC") -> String {
        let parser = TimestampParser(format)
        switch parser.parse(text) {
        case .failure(let f): return "error(\(f.detail ?? "shape"))"
        case .success(let t):
            if let offset = t.offset { return UTCTime.iso8601(t.localSeconds - offset) }
            return UTCTime.iso8601(LocalTimeConverter(identifier: zone)!.utc(localSeconds: t.localSeconds))
        }
    }

    func testUTCTimeFormatting() {
        XCTAssertEqual(UTCTime.iso8601(0), "1970-01-01T00:00:00Z")
        XCTAssertEqual(UTCTime.iso8601(852_076_800), "1997-01-01T00:00:00Z")
        XCTAssertEqual(UTCTime.iso8601(951_782_400), "2000-02-29T00:00:00Z")
        XCTAssertEqual(UTCTime.iso8601(-1), "1969-12-31T23:59:59Z")
        XCTAssertEqual(UTCTime.days(year: 1997, month: 1, day: 1), 9862)
    }

    func testPatterns() {
        XCTAssertEqual(utc("19970101", .pattern("yyyyMMdd")), "1997-01-01T00:00:00Z")
        XCTAssertEqual(utc("31/12/1998", .pattern("dd/MM/yyyy")), "1998-12-31T00:00:00Z")
        XCTAssertEqual(utc("12/1/2010 8:26", .pattern("M/d/yyyy H:mm")), "2010-12-01T08:26:00Z")
        XCTAssertEqual(utc("1/12/2010 18:26", .pattern("M/d/yyyy H:mm")), "2010-01-12T18:26:00Z")
        XCTAssertEqual(utc("2011-06-30 23:59:59", .pattern("yyyy-MM-dd HH:mm:ss")), "2011-06-30T23:59:59Z")
        XCTAssertEqual(utc("2011-06-30T23:59:59.123", .pattern("yyyy-MM-dd'T'HH:mm:ss.SSS")), "2011-06-30T23:59:59Z")
        XCTAssertEqual(utc("2011-06-30 23:59:59", .pattern("yyyy-MM-dd HH:mm:ss[.S]")), "2011-06-30T23:59:59Z")
        XCTAssertEqual(utc("2011-06-30 23:59:59.5", .pattern("yyyy-MM-dd HH:mm:ss[.S]")), "2011-06-30T23:59:59Z")
    }

    func testPatternsAreStrict() {
        XCTAssertEqual(utc("19970230", .pattern("yyyyMMdd")), "error(no such date)")
        XCTAssertEqual(utc("19970229", .pattern("yyyyMMdd")), "error(no such date)")
        XCTAssertEqual(utc("20000229", .pattern("yyyyMMdd")), "2000-02-29T00:00:00Z")
        XCTAssertEqual(utc("19971301", .pattern("yyyyMMdd")), "error(no such date)")
        XCTAssertEqual(utc("13/25/2010 8:26", .pattern("M/d/yyyy H:mm")), "error(no such date)")
        XCTAssertEqual(utc("12/1/2010 24:00", .pattern("M/d/yyyy H:mm")), "error(no such time)")
        XCTAssertEqual(utc("1997-01-01", .pattern("yyyyMMdd")), "error(shape)")
        XCTAssertEqual(utc("1997010", .pattern("yyyyMMdd")), "error(shape)")
        XCTAssertEqual(utc("199701011", .pattern("yyyyMMdd")), "error(shape)")
        XCTAssertEqual(utc("1/1/97 1:00", .pattern("M/d/yyyy H:mm")), "error(shape)")
        XCTAssertEqual(utc("2011-06-30 23:59:59.", .pattern("yyyy-MM-dd HH:mm:ss[.S]")), "error(shape)")
    }

    func testUnknownTokensAreMappingErrors() {
        XCTAssertThrowsError(try TimestampFormat.parse("yy-MM-dd"))
        XCTAssertThrowsError(try TimestampFormat.parse("yyyy-MM-ddTHH:mm"))   // unquoted T
        XCTAssertThrowsError(try TimestampFormat.parse("HH:mm"))             // no date
        XCTAssertThrowsError(try TimestampFormat.parse("yyyy-MM-dd dd"))     // day twice
        XCTAssertEqual(try TimestampFormat.parse("yyyy-MM-dd'T'HH:mm"), .pattern("yyyy-MM-dd'T'HH:mm"))
        XCTAssertEqual(try TimestampFormat.parse("iso8601"), .iso8601)
        XCTAssertEqual(try TimestampFormat.parse("unix_ms"), .unixMilliseconds)
    }

    func testISO8601() {
        XCTAssertEqual(utc("1997-01-01", .iso8601), "1997-01-01T00:00:00Z")
        XCTAssertEqual(utc("1997-01-01T10:20:30Z", .iso8601), "1997-01-01T10:20:30Z")
        XCTAssertEqual(utc("1997-01-01 10:20", .iso8601), "1997-01-01T10:20:00Z")
        XCTAssertEqual(utc("1997-01-01T10:20:30.999+02:00", .iso8601), "1997-01-01T08:20:30Z")
        XCTAssertEqual(utc("1997-01-01T01:00:00-0530", .iso8601), "1997-01-01T06:30:00Z")
        XCTAssertEqual(utc("1997-01-01T01:00:00-05", .iso8601), "1997-01-01T06:00:00Z")
        // Naive: local to the mapping's zone (London is on BST in July).
        XCTAssertEqual(utc("2011-07-01T12:00:00", .iso8601, zone: "Europe/London"), "2011-07-01T11:00:00Z")
        XCTAssertEqual(utc("2011-07-01T12:00:00Z", .iso8601, zone: "Europe/London"), "2011-07-01T12:00:00Z")
        XCTAssertEqual(utc("1997-02-30", .iso8601), "error(no such date)")
        XCTAssertEqual(utc("1997-1-1", .iso8601), "error(shape)")
        XCTAssertEqual(utc("1997-01-01T10", .iso8601), "error(shape)")
        XCTAssertEqual(utc("1997-01-01T10:00:00 UTC", .iso8601), "error(shape)")
    }

    func testUnixSecondsAndMilliseconds() {
        XCTAssertEqual(utc("852076800", .unix), "1997-01-01T00:00:00Z")
        XCTAssertEqual(utc("852076800.9", .unix), "1997-01-01T00:00:00Z")
        XCTAssertEqual(utc("-1", .unix), "1969-12-31T23:59:59Z")
        XCTAssertEqual(utc("-0.5", .unix), "1969-12-31T23:59:59Z")
        XCTAssertEqual(utc("852076800999", .unixMilliseconds), "1997-01-01T00:00:00Z")
        XCTAssertEqual(utc("-1", .unixMilliseconds), "1969-12-31T23:59:59Z")
        XCTAssertEqual(utc("1.5e9", .unix), "error(shape)")
        XCTAssertEqual(utc("12.5", .unixMilliseconds), "error(shape)")
        XCTAssertEqual(utc("", .unix), "error(shape)")
    }
}
