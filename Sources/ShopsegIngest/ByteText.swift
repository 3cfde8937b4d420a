/// Text operations on a field's UTF-8 bytes, so the row mapper makes a `String` only for
/// fields that are kept as text or named in a reject reason.
///
/// Each gives exactly what the `String` operation it replaces gives (checked by tests on
/// ASCII, non-ASCII and edge cases): bytes that are not ASCII never match an ASCII byte.
enum ByteText {
    /// `bytes` without leading and trailing spaces, tabs, CRs and LFs (the bytes of
    /// ``RowMapper/trimmed(_:)`` of the same text; empty when only those remain).
    ///
    /// ```swift
    /// // " a b\t" → "a b"
    /// ```
    static func trimmed(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        var start = 0, end = bytes.count
        while start < end, isSpace(bytes[start]) { start += 1 }
        while end > start, isSpace(bytes[end - 1]) { end -= 1 }
        return UnsafeBufferPointer(rebasing: bytes[start..<end])
    }

    /// Space, tab, CR or LF.
    @inline(__always)
    static func isSpace(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }

    /// The event type whose canonical name the bytes are exactly, as `EventType(rawValue:)`
    /// of their text. Byte equality is string equality here: the names are lowercase ASCII
    /// letters, which no other Unicode text is canonically equivalent to.
    static func eventType(_ b: UnsafeBufferPointer<UInt8>) -> EventType? {
        func equals(_ name: StaticString) -> Bool {
            guard name.utf8CodeUnitCount == b.count else { return false }
            let p = name.utf8Start
            for k in 0..<b.count where p[k] != b[k] { return false }
            return true
        }
        switch b.count {
        case 4:
            if equals("view") { return .view }
            if equals("cart") { return .cart }
        case 6:
            if equals("return") { return .return }
            if equals("rating") { return .rating }
        case 8:
            if equals("purchase") { return .purchase }
        default: break
        }
        return nil
    }
}
