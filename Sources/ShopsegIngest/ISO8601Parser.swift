/// Parses ISO-8601 dates and date-times (the profile described on ``TimestampFormat/iso8601``).
enum ISO8601Parser {
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<ParsedTime, TimeParseFailure> {
        let noMatch = Result<ParsedTime, TimeParseFailure>.failure(TimeParseFailure(detail: nil))
        // A cursor struct rather than nested functions capturing the index: a captured `var`
        // is boxed and every access checked for exclusivity at run time (≈ 2% of a load).
        var c = ByteCursor(b)
        guard let year = c.digits(4), c.expect("-"), let month = c.digits(2), c.expect("-"),
              let day = c.digits(2) else {
            return noMatch
        }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var offset: Int64? = nil
        if !c.atEnd {
            guard c.expect("T") || c.expect("t") || c.expect(" ") else { return noMatch }
            guard let h = c.digits(2), c.expect(":"), let m = c.digits(2) else { return noMatch }
            hour = h; minute = m
            if c.expect(":") {
                guard let s = c.digits(2) else { return noMatch }
                second = s
                if c.expect(".") || c.expect(",") {
                    guard c.skipDigits() > 0 else { return noMatch }
                }
            }
            if !c.atEnd {
                if c.expect("Z") || c.expect("z") {
                    offset = 0
                } else if c.peek == UInt8(ascii: "+") || c.peek == UInt8(ascii: "-") {
                    let sign: Int64 = c.peek == UInt8(ascii: "-") ? -1 : 1
                    c.index += 1
                    guard let oh = c.digits(2) else { return noMatch }
                    var om: Int64 = 0
                    if !c.atEnd {
                        _ = c.expect(":")
                        guard let m = c.digits(2) else { return noMatch }
                        om = m
                    }
                    guard oh <= 23, om <= 59 else { return .failure(TimeParseFailure(detail: "no such offset")) }
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return noMatch
                }
            }
            guard c.atEnd else { return noMatch }
        }
        switch CivilCheck.build(year: year, month: month, day: day, hour: hour, minute: minute, second: second) {
        case .success(var t):
            t.offset = offset
            return .success(t)
        case .failure(let f):
            return .failure(f)
        }
    }
}

/// Reads fixed-width digits and literal bytes from the front of a buffer.
struct ByteCursor {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    var atEnd: Bool { index >= bytes.count }
    /// The next byte, or 0 at the end.
    var peek: UInt8 { index < bytes.count ? bytes[index] : 0 }

    /// Exactly `n` ASCII digits as a number (consumed), or `nil` (nothing consumed).
    mutating func digits(_ n: Int) -> Int64? {
        guard index + n <= bytes.count else { return nil }
        var v: Int64 = 0
        for k in index..<index + n {
            let c = bytes[k]
            guard c >= 48, c <= 57 else { return nil }
            v = v * 10 + Int64(c - 48)
        }
        index += n
        return v
    }

    /// Consumes `c` if it is the next byte.
    mutating func expect(_ c: Unicode.Scalar) -> Bool {
        guard index < bytes.count, bytes[index] == UInt8(ascii: c) else { return false }
        index += 1
        return true
    }

    /// Consumes a run of ASCII digits; returns its length.
    mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 { index += 1 }
        return index - start
    }
}
