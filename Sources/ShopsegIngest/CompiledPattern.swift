/// A date pattern such as `M/d/yyyy H:mm`, compiled to tokens once per mapping.
struct CompiledPattern {
    enum Part { case year, month, day, hour, minute, second }
    enum Token {
        /// Digits for a part: exactly `min` when `min == max`, else `min…max` (greedy).
        case number(Part, min: Int, max: Int)
        /// Exactly `count` fraction digits (ignored: instants are whole seconds).
        case fraction(count: Int)
        /// An optional `.` followed by 1–9 digits.
        case optionalFraction
        case literal(UInt8)
    }

    let tokens: [Token]
    let hasTime: Bool

    init(_ pattern: String) throws(FormatError) {
        var tokens: [Token] = []
        let chars = Array(pattern.utf8)
        var i = 0
        var seen = Set<String>()
        while i < chars.count {
            let c = chars[i]
            if c == UInt8(ascii: "'") {
                i += 1
                if i < chars.count, chars[i] == UInt8(ascii: "'") { tokens.append(.literal(c)); i += 1; continue }
                while i < chars.count, chars[i] != UInt8(ascii: "'") { tokens.append(.literal(chars[i])); i += 1 }
                guard i < chars.count else {
                    throw FormatError(message: "format '\(pattern)': unterminated quoted literal")
                }
                i += 1
                continue
            }
            if pattern.utf8.count - i >= 4, Array(chars[i..<i + 4]) == Array("[.S]".utf8) {
                tokens.append(.optionalFraction); i += 4; continue
            }
            let isLetter = (c >= 65 && c <= 90) || (c >= 97 && c <= 122)
            guard isLetter else { tokens.append(.literal(c)); i += 1; continue }
            var n = 0
            while i + n < chars.count, chars[i + n] == c { n += 1 }
            let run = String(repeating: Character(Unicode.Scalar(c)), count: n)
            let token: Token
            let part: String
            switch (c, n) {
            case (UInt8(ascii: "y"), 4): token = .number(.year, min: 4, max: 4); part = "year"
            case (UInt8(ascii: "M"), 1): token = .number(.month, min: 1, max: 2); part = "month"
            case (UInt8(ascii: "M"), 2): token = .number(.month, min: 2, max: 2); part = "month"
            case (UInt8(ascii: "d"), 1): token = .number(.day, min: 1, max: 2); part = "day"
            case (UInt8(ascii: "d"), 2): token = .number(.day, min: 2, max: 2); part = "day"
            case (UInt8(ascii: "H"), 1): token = .number(.hour, min: 1, max: 2); part = "hour"
            case (UInt8(ascii: "H"), 2): token = .number(.hour, min: 2, max: 2); part = "hour"
            case (UInt8(ascii: "m"), 1): token = .number(.minute, min: 1, max: 2); part = "minute"
            case (UInt8(ascii: "m"), 2): token = .number(.minute, min: 2, max: 2); part = "minute"
            case (UInt8(ascii: "s"), 1): token = .number(.second, min: 1, max: 2); part = "second"
            case (UInt8(ascii: "s"), 2): token = .number(.second, min: 2, max: 2); part = "second"
            case (UInt8(ascii: "S"), 1...9): token = .fraction(count: n); part = "fraction"
            default:
                throw FormatError(message: "format '\(pattern)': unknown token '\(run)' "
                    + "(known: yyyy, MM, M, dd, d, HH, H, mm, m, ss, s, S…, [.S]; quote literal letters like 'T')")
            }
            guard !seen.contains(part) else {
                throw FormatError(message: "format '\(pattern)': the \(part) appears twice")
            }
            seen.insert(part)
            tokens.append(token)
            i += n
        }
        for (needed, tokenText) in [("year", "yyyy"), ("month", "MM or M"), ("day", "dd or d")]
        where !seen.contains(needed) {
            throw FormatError(message: "format '\(pattern)': needs a \(needed) (\(tokenText))")
        }
        self.tokens = tokens
        self.hasTime = seen.contains("hour") || seen.contains("minute") || seen.contains("second")
    }

    func parse(_ b: UnsafeBufferPointer<UInt8>) -> Result<ParsedTime, TimeParseFailure> {
        var year: Int64 = 0, month: Int64 = 0, day: Int64 = 0, hour: Int64 = 0, minute: Int64 = 0, second: Int64 = 0
        var i = 0
        let noMatch = Result<ParsedTime, TimeParseFailure>.failure(TimeParseFailure(detail: nil))
        for token in tokens {
            switch token {
            case .literal(let c):
                guard i < b.count, b[i] == c else { return noMatch }
                i += 1
            case .fraction(let count):
                for _ in 0..<count {
                    guard i < b.count, b[i] >= 48, b[i] <= 57 else { return noMatch }
                    i += 1
                }
            case .optionalFraction:
                if i < b.count, b[i] == UInt8(ascii: ".") {
                    i += 1
                    var n = 0
                    while i < b.count, b[i] >= 48, b[i] <= 57 { i += 1; n += 1 }
                    guard (1...9).contains(n) else { return noMatch }
                }
            case let .number(part, minDigits, maxDigits):
                var v: Int64 = 0, n = 0
                while n < maxDigits, i < b.count, b[i] >= 48, b[i] <= 57 {
                    v = v * 10 + Int64(b[i] - 48); i += 1; n += 1
                }
                guard n >= minDigits else { return noMatch }
                switch part {
                case .year: year = v
                case .month: month = v
                case .day: day = v
                case .hour: hour = v
                case .minute: minute = v
                case .second: second = v
                }
            }
        }
        guard i == b.count else { return noMatch }
        return CivilCheck.build(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
    }
}
