/// Strict parsing of plain decimal numbers: `[+-]digits[.digits]` (or `.5`).
///
/// No exponents, thousands separators, currency signs, spaces, `nan` or `inf`:
/// anything but a plain decimal with `.` is rejected rather than guessed.
enum DecimalNumber {
    /// The value and the number of digits after the point, or `nil` when not a plain decimal.
    static func parse(_ text: String) -> (value: Double, decimals: Int)? {
        var text = text
        let shape: (ok: Bool, decimals: Int) = text.withUTF8 { b in
            var i = 0
            if i < b.count, b[i] == UInt8(ascii: "-") || b[i] == UInt8(ascii: "+") { i += 1 }
            var intDigits = 0, fracDigits = 0
            while i < b.count, b[i] >= 48, b[i] <= 57 { intDigits += 1; i += 1 }
            if i < b.count, b[i] == UInt8(ascii: ".") {
                i += 1
                while i < b.count, b[i] >= 48, b[i] <= 57 { fracDigits += 1; i += 1 }
            }
            return (i == b.count && intDigits + fracDigits > 0, fracDigits)
        }
        guard shape.ok, let value = Double(text), value.isFinite else { return nil }   // 400 nines overflow to inf
        return (value, shape.decimals)
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
