/// How a date or date-time column is written in a source file.
///
/// - `pattern`: tokens `yyyy` (4 digits), `MM`/`M` (month, 2 or 1–2 digits),
///   `dd`/`d` (day), `HH`/`H` (hour 0–23), `mm`/`m` (minute), `ss`/`s` (second),
///   `S…` (exactly that many fraction-of-second digits), `[.S]` (an optional `.`
///   and 1–9 fraction digits); any other non-letter is a literal, and letters can
///   be quoted as literals with `'T'`. Values are validated strictly: the whole
///   value must match and the date must exist (`1997-02-30` is rejected).
///   `yyyy`, a month and a day are required; missing time parts are 0.
/// - `iso8601`: `yyyy-MM-dd`, or `yyyy-MM-ddTHH:mm[:ss[.f…]]` (`T` or a space),
///   optionally followed by `Z` or an offset `±hh:mm`, `±hhmm`, `±hh`.
///   Without an offset the time is local to the mapping's time zone.
/// - `unix`: seconds since 1970-01-01T00:00:00Z (a fraction is truncated down).
/// - `unix_ms`: milliseconds since the epoch (truncated down to seconds).
///
/// Fractions of a second are truncated: instants are whole Unix seconds.
public enum TimestampFormat: Sendable, Equatable {
    case pattern(String)
    case iso8601
    case unix
    case unixMilliseconds

    /// The text used in mapping files and in reject reasons.
    public var name: String {
        switch self {
        case .pattern(let p): return p
        case .iso8601: return "iso8601"
        case .unix: return "unix"
        case .unixMilliseconds: return "unix_ms"
        }
    }

    /// Parses a mapping's `format:` text. Throws a message on an unknown token.
    static func parse(_ text: String) throws(FormatError) -> TimestampFormat {
        switch text {
        case "iso8601": return .iso8601
        case "unix": return .unix
        case "unix_ms": return .unixMilliseconds
        default:
            _ = try CompiledPattern(text)
            return .pattern(text)
        }
    }

    /// Whether the format can carry a time of day (used to check `birth_date`).
    var hasTime: Bool {
        switch self {
        case .pattern(let p): return (try? CompiledPattern(p))?.hasTime ?? false
        default: return true
        }
    }
}

/// A problem in a `format:` text, reported as a `badMapping` message.
struct FormatError: Error { let message: String }

/// A timestamp read from text, before time-zone conversion.
struct ParsedTime {
    /// Days since 1970-01-01 of the written (local) date.
    var days: Int64
    /// Seconds since the written midnight.
    var secondOfDay: Int64
    /// Offset east of UTC, when the text carried one (or was a Unix time).
    var offset: Int64?

    var localSeconds: Int64 { days * 86_400 + secondOfDay }
}

/// Why a value did not parse; `detail` is shown in parentheses when present.
struct TimeParseFailure: Error { let detail: String? }

/// A `TimestampFormat` ready to parse bytes.
struct TimestampParser {
    let format: TimestampFormat
    private let compiled: CompiledPattern?

    init(_ format: TimestampFormat) {
        self.format = format
        if case .pattern(let p) = format { compiled = try? CompiledPattern(p) } else { compiled = nil }
    }

    func parse(_ text: String) -> Result<ParsedTime, TimeParseFailure> {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// As ``parse(_:)-(String)``, on the text's UTF-8 bytes.
    func parse(_ bytes: UnsafeBufferPointer<UInt8>) -> Result<ParsedTime, TimeParseFailure> {
        switch format {
        case .pattern: return compiled!.parse(bytes)
        case .iso8601: return ISO8601Parser.parse(bytes)
        case .unix: return Self.parseUnix(bytes, divisor: 1)
        case .unixMilliseconds: return Self.parseUnix(bytes, divisor: 1000)
        }
    }

    private static func parseUnix(_ b: UnsafeBufferPointer<UInt8>, divisor: Int64)
        -> Result<ParsedTime, TimeParseFailure> {
        var i = 0, negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-"); i += 1
        }
        var value: Int64 = 0, digits = 0
        while i < b.count, b[i] >= 48, b[i] <= 57 {
            let (m, o1) = value.multipliedReportingOverflow(by: 10)
            let (a, o2) = m.addingReportingOverflow(Int64(b[i] - 48))
            if o1 || o2 || digits > 15 { return .failure(TimeParseFailure(detail: "out of range")) }
            value = a; digits += 1; i += 1
        }
        guard digits > 0 else { return .failure(TimeParseFailure(detail: nil)) }
        var hasFraction = false
        if i < b.count, b[i] == UInt8(ascii: "."), divisor == 1 {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 { if b[i] != 48 { hasFraction = true }; i += 1 }
        }
        guard i == b.count else { return .failure(TimeParseFailure(detail: nil)) }
        var t = negative ? -value : value
        if negative && hasFraction { t -= 1 }
        t = UTCTime.floorDivMod(t, divisor).0
        let (days, sod) = UTCTime.floorDivMod(t, 86_400)
        return .success(ParsedTime(days: days, secondOfDay: sod, offset: 0))
    }
}

/// Shared checks on date and time parts.
enum CivilCheck {
    static func build(year: Int64, month: Int64, day: Int64, hour: Int64, minute: Int64, second: Int64)
        -> Result<ParsedTime, TimeParseFailure> {
        guard (1...12).contains(month), day >= 1, day <= UTCTime.daysInMonth(year: year, month: month) else {
            return .failure(TimeParseFailure(detail: "no such date"))
        }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            return .failure(TimeParseFailure(detail: "no such time"))
        }
        return .success(ParsedTime(days: UTCTime.days(year: year, month: month, day: day),
                                   secondOfDay: hour * 3600 + minute * 60 + second, offset: nil))
    }
}
