/// Locale-independent number text shared by every module's messages.
public enum NumberText {
    /// 1234567 → "1,234,567" (comma thousands separators whatever the locale, so messages read
    /// the same on every machine and parse the same in scripts).
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return n < 0 ? "-" + out : out
    }
}
