/// Shares given on the command line: a fraction (0.05) or a percentage (5%), between 0 and 1.
enum Fraction {
    static func parse(_ text: String) -> Double? {
        let percent = text.hasSuffix("%")
        let digits = percent ? String(text.dropLast()) : text
        // Plain decimals only: Double() alone would also take "0x1", "1e-2" or "nan".
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }),
              let number = Double(digits) else { return nil }
        let rate = percent ? number / 100 : number
        return (0...1).contains(rate) ? rate : nil
    }
}
