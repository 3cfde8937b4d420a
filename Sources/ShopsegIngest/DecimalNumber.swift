/// Strict parsing of plain decimal numbers: `[+-]digits[.digits]` (or `.5`).
///
/// No exponents, thousands separators, currency signs, spaces, `nan` or `inf`:
/// anything but a plain decimal with `.` is rejected rather than guessed.
enum DecimalNumber {
    /// The value and the number of digits after the point, or `nil` when not a plain decimal.
    static func parse(_ text: String) -> (value: Double, decimals: Int)? {
        var text = text
        return text.withUTF8 { parse($0) }
    }

    /// As ``parse(_:)-(String)``, on the text's UTF-8 bytes.
    ///
    /// A number of at most 15 significant digits and 22 decimals (every price, quantity and
    /// rating in practice) is read as `digits / 10^decimals`: both are exact doubles, so one
    /// correctly rounded division gives the double nearest the decimal — what `strtod` gives.
    /// Longer numbers go through `Double(String)`.
    static func parse(_ b: UnsafeBufferPointer<UInt8>) -> (value: Double, decimals: Int)? {
        var i = 0
        var negative = false
        if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") {
            negative = b[i] == UInt8(ascii: "-"); i += 1
        }
        var intDigits = 0, fracDigits = 0
        var mantissa: UInt64 = 0
        var exact = true   // mantissa holds every digit and stays below 10^15
        while i < b.count, b[i] >= 48, b[i] <= 57 {
            intDigits += 1
            if exact { mantissa = mantissa * 10 + UInt64(b[i] - 48); exact = mantissa < 1_000_000_000_000_000 }
            i += 1
        }
        if i < b.count, b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count, b[i] >= 48, b[i] <= 57 {
                fracDigits += 1
                if exact { mantissa = mantissa * 10 + UInt64(b[i] - 48); exact = mantissa < 1_000_000_000_000_000 }
                i += 1
            }
        }
        guard i == b.count, intDigits + fracDigits > 0 else { return nil }
        if exact, fracDigits <= 22 {
            let magnitude = Double(mantissa) / powersOfTen[fracDigits]
            return (negative ? -magnitude : magnitude, fracDigits)
        }
        let text = String(decoding: b, as: UTF8.self)
        guard let value = Double(text), value.isFinite else { return nil }   // 400 nines overflow to inf
        return (value, fracDigits)
    }

    /// 10^0 … 10^22, each exactly representable as a double.
    private static let powersOfTen: [Double] = (0...22).map { k in
        var p = 1.0
        for _ in 0..<k { p *= 10 }
        return p
    }

    /// `a × b`, rounded to the decimals an exact decimal product has (`6 × 2.55` = 15.3, not 15.299999999999999).
    static func product(_ a: (value: Double, decimals: Int), _ b: (value: Double, decimals: Int)) -> Double {
        let raw = a.value * b.value
        let decimals = a.decimals + b.decimals
        guard decimals <= 12, raw.magnitude < 1e15 else { return raw }
        var scale = 1.0
        for _ in 0..<decimals { scale *= 10 }
        return (raw * scale).rounded() / scale
    }
}
