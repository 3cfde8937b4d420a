/// Calendar arithmetic on the proleptic Gregorian calendar, in UTC.
///
/// Pure integer maths (Howard Hinnant's `days_from_civil` / `civil_from_days`),
/// so converting half a million timestamps never touches Foundation.
///
/// ```swift
/// UTCTime.iso8601(852_076_800)   // "1997-01-01T00:00:00Z"
/// ```
public enum UTCTime {
    /// Formats Unix seconds as ISO-8601 UTC text, `yyyy-MM-ddTHH:mm:ssZ`.
    public static func iso8601(_ unixSeconds: Int64) -> String {
        let (days, secs) = floorDivMod(unixSeconds, 86_400)
        let (y, m, d) = civil(fromDays: days)
        let hh = secs / 3600, mm = (secs / 60) % 60, ss = secs % 60
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(hh, 2)):\(pad(mm, 2)):\(pad(ss, 2))Z"
    }

    /// Writes Unix seconds as ISO-8601 UTC text (the bytes of ``iso8601(_:)``) into `out`,
    /// which must hold 20 bytes; returns the count written, or `nil` for a year outside
    /// 0...9999 (then use ``iso8601(_:)``). No allocation: for loaders formatting per row.
    public static func writeISO8601(_ unixSeconds: Int64, into out: UnsafeMutablePointer<UInt8>) -> Int? {
        let (days, secs) = floorDivMod(unixSeconds, 86_400)
        let (y, m, d) = civil(fromDays: days)
        guard (0...9999).contains(y) else { return nil }
        func put(_ at: Int, _ v: Int64, _ width: Int) {
            var v = v
            for k in stride(from: at + width - 1, through: at, by: -1) { out[k] = UInt8(48 + v % 10); v /= 10 }
        }
        put(0, y, 4); out[4] = 0x2D; put(5, m, 2); out[7] = 0x2D; put(8, d, 2); out[10] = 0x54
        put(11, secs / 3600, 2); out[13] = 0x3A; put(14, (secs / 60) % 60, 2); out[16] = 0x3A
        put(17, secs % 60, 2); out[19] = 0x5A
        return 20
    }

    /// Formats a calendar date as `yyyy-MM-dd`.
    public static func dateText(year: Int64, month: Int64, day: Int64) -> String {
        "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))"
    }

    /// Formats the date of a day count since 1970-01-01 as `yyyy-MM-dd`.
    public static func dateText(days: Int64) -> String {
        let (y, m, d) = civil(fromDays: days)
        return dateText(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 of a valid calendar date.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The calendar date of a day count since 1970-01-01.
    public static func civil(fromDays z0: Int64) -> (year: Int64, month: Int64, day: Int64) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    /// Number of days in a month of the Gregorian calendar.
    public static func daysInMonth(year: Int64, month: Int64) -> Int64 {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Floor division and non-negative remainder.
    static func floorDivMod(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b, r = a % b
        if r < 0 { q -= 1; r += b }
        return (q, r)
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v < 0 ? -v : v)
        let body = s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        return v < 0 ? "-" + body : body
    }
}
