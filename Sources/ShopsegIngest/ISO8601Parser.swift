/// Parses ISO-8601 dates and date-times (the profile described on ``TimestampFormat/iso8601``).
enum ISO8601Parser {
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<ParsedTime, TimeParseFailure> {
        let noMatch = Result<ParsedTime, TimeParseFailure>.failure(TimeParseFailure(detail: nil))
        var i = 0
        func digits(_ n: Int) -> Int64? {
            guard i + n <= b.count else { return nil }
            var v: Int64 = 0
            for k in 0..<n {
                let c = b[i + k]
                guard c >= 48, c <= 57 else { return nil }
                v = v * 10 + Int64(c - 48)
            }
            i += n
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = digits(4), expect("-"), let month = digits(2), expect("-"), let day = digits(2) else {
            return noMatch
        }
        var hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var offset: Int64? = nil
        if i < b.count {
            guard b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ") else {
                return noMatch
            }
            i += 1
            guard let h = digits(2), expect(":"), let m = digits(2) else { return noMatch }
            hour = h; minute = m
            if expect(":") {
                guard let s = digits(2) else { return noMatch }
                second = s
                if expect(".") || expect(",") {
                    var n = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1; n += 1 }
                    guard n > 0 else { return noMatch }
                }
            }
            if i < b.count {
                if expect("Z") || expect("z") {
                    offset = 0
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
                    i += 1
                    guard let oh = digits(2) else { return noMatch }
                    var om: Int64 = 0
                    if i < b.count {
                        _ = expect(":")
                        guard let m = digits(2) else { return noMatch }
                        om = m
                    }
                    guard oh <= 23, om <= 59 else { return .failure(TimeParseFailure(detail: "no such offset")) }
                    offset = sign * (oh * 3600 + om * 60)
                } else {
                    return noMatch
                }
            }
            guard i == b.count else { return noMatch }
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
