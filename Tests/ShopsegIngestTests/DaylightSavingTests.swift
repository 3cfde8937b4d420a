import XCTest
import Foundation
@testable import ShopsegIngest

/// Naive local times → UTC with the "compatible" rule (RFC 5545, JS Temporal):
/// a time in the spring-forward gap moves forward by the gap; a repeated time
/// in the fall-back overlap takes the earlier instant.
final class DaylightSavingTests: XCTestCase {
    private func utc(_ local: String, _ zone: String) -> String {
        guard case .success(let t) = TimestampParser(.pattern("yyyy-MM-dd HH:mm")).parse(local) else {
            XCTFail("bad test input \(local)"); return ""
        }
        return UTCTime.iso8601(LocalTimeConverter(identifier: zone)!.utc(localSeconds: t.localSeconds))
    }

    // Europe/London 2011: BST from 27 Mar 01:00 UTC (clocks 01:00 → 02:00)
    // to 30 Oct 01:00 UTC (clocks 02:00 → 01:00).
    func testLondonSpringForwardGap() {
        XCTAssertEqual(utc("2011-03-27 00:59", "Europe/London"), "2011-03-27T00:59:00Z")   // GMT
        XCTAssertEqual(utc("2011-03-27 01:00", "Europe/London"), "2011-03-27T01:00:00Z")   // gap → 02:00 BST
        XCTAssertEqual(utc("2011-03-27 01:30", "Europe/London"), "2011-03-27T01:30:00Z")   // gap → 02:30 BST
        XCTAssertEqual(utc("2011-03-27 02:00", "Europe/London"), "2011-03-27T01:00:00Z")   // BST
        XCTAssertEqual(utc("2011-03-27 12:00", "Europe/London"), "2011-03-27T11:00:00Z")
    }

    func testLondonFallBackOverlapTakesTheEarlierInstant() {
        XCTAssertEqual(utc("2011-10-30 00:59", "Europe/London"), "2011-10-29T23:59:00Z")   // BST
        XCTAssertEqual(utc("2011-10-30 01:00", "Europe/London"), "2011-10-30T00:00:00Z")   // BST, not GMT 01:00Z
        XCTAssertEqual(utc("2011-10-30 01:30", "Europe/London"), "2011-10-30T00:30:00Z")   // BST, not GMT 01:30Z
        XCTAssertEqual(utc("2011-10-30 02:00", "Europe/London"), "2011-10-30T02:00:00Z")   // GMT
    }

    // America/New_York 2011: EDT from 13 Mar 07:00 UTC (02:00 EST → 03:00 EDT)
    // to 6 Nov 06:00 UTC (02:00 EDT → 01:00 EST).
    func testNewYorkSpringForwardGap() {
        XCTAssertEqual(utc("2011-03-13 01:59", "America/New_York"), "2011-03-13T06:59:00Z")  // EST −5
        XCTAssertEqual(utc("2011-03-13 02:30", "America/New_York"), "2011-03-13T07:30:00Z")  // gap → 03:30 EDT
        XCTAssertEqual(utc("2011-03-13 03:00", "America/New_York"), "2011-03-13T07:00:00Z")  // EDT −4
    }

    func testNewYorkFallBackOverlapTakesTheEarlierInstant() {
        XCTAssertEqual(utc("2011-11-06 00:30", "America/New_York"), "2011-11-06T04:30:00Z")  // EDT
        XCTAssertEqual(utc("2011-11-06 01:30", "America/New_York"), "2011-11-06T05:30:00Z")  // EDT, not EST 06:30Z
        XCTAssertEqual(utc("2011-11-06 02:00", "America/New_York"), "2011-11-06T07:00:00Z")  // EST
    }

    /// The per-day offset cache agrees with Foundation for every unambiguous hour of a year.
    func testCachedOffsetsAgreeWithTimeZoneAllYear() {
        for zone in ["Europe/London", "America/New_York", "Australia/Sydney"] {
            let tz = TimeZone(identifier: zone)!
            let converter = LocalTimeConverter(identifier: zone)!
            let start = UTCTime.days(year: 2011, month: 1, day: 1) * 86_400
            for hour in stride(from: Int64(0), to: 365 * 24, by: 1) {
                let local = start + hour * 3600 + 17 * 60
                let t = converter.utc(localSeconds: local)
                let offset = Int64(tz.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(t))))
                let inGap = t + offset != local
                if inGap {
                    // Only allowed for a skipped local time: moved forward by exactly one hour.
                    XCTAssertEqual(t + offset, local + 3600, "\(zone) \(UTCTime.iso8601(local)) local")
                }
            }
        }
    }

    func testUnknownZoneIsRejected() {
        XCTAssertNil(LocalTimeConverter(identifier: "Europe/Londn"))
        XCTAssertNotNil(LocalTimeConverter(identifier: "UTC"))
    }
}
