/// Splits delimited text into records, working on bytes.
///
/// One pass over the file's bytes, no per-character `String` work: a record is
/// a list of byte ranges, and a field becomes a `String` only when asked for
/// with ``field(_:)`` (the loader's mapper reads the ranges through ``withRecord(_:)``). The bytes come through a ``ByteWindow``: a record that runs
/// past the window's end (a quoted field with line breaks, a CRLF cut in two) is
/// scanned again once the window holds more, so chunk boundaries never show.
///
/// - Delimiters: comma, tab, semicolon, pipe, or runs of whitespace
///   (``Delimiter/whitespace``: leading and trailing spaces/tabs ignored, no quoting).
/// - RFC 4180 quoting: a field that starts with `"` may hold delimiters, line
///   breaks and `""` (one quote). Text after a closing quote is kept as is
///   (`"ab"c` reads `abc`); a quote inside an unquoted field is an ordinary character.
/// - Line ends LF or CRLF; a UTF-8 byte-order mark at the start is skipped.
/// - Blank lines (empty or only spaces, tabs and CR) are skipped and are not records.
/// - A quote that is never closed makes the rest of the file one malformed record.
///
/// ```swift
/// var reader = CSVReader(bytes: Array("a,\"b,c\"\n".utf8), delimiter: .comma)
/// while reader.nextRecord() { print(reader.line, reader.field(1)) }   // 1 b,c
/// ```
struct CSVReader {
    private var window: ByteWindow
    let delimiter: Delimiter
    /// Index in the window's bytes of the first byte not yet consumed.
    private var position: Int
    private var currentLine = 1

    /// 1-based physical line where the current record starts.
    private(set) var line = 0
    private(set) var recordStart = 0
    private(set) var recordEnd = 0
    /// Set when the current record is not well-formed (an unterminated quote).
    private(set) var malformed: String?
    /// The current record's fields (one array, reused: no allocation per record).
    private var spans: [FieldSpan] = []
    /// Set by a scan that consumed the record's line feed.
    private var terminated = false

    private static let quote = UInt8(ascii: "\"")
    private static let lf = UInt8(ascii: "\n")
    private static let cr = UInt8(ascii: "\r")
    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")

    init(bytes: [UInt8], delimiter: Delimiter) {
        self.init(window: ByteWindow(bytes: bytes), delimiter: delimiter)
    }

    init(window: ByteWindow, delimiter: Delimiter) {
        self.window = window
        self.delimiter = delimiter
        position = window.utf8BOMLength
    }

    /// The window's bytes (valid until the next ``nextRecord()``).
    var bytes: [UInt8] { window.bytes }
    /// Bytes of the source consumed so far.
    var bytesConsumed: Int { window.base + position }
    /// Why reading the source failed part-way, if it did (the records before it are good).
    var readError: String? { window.readError }

    /// Number of fields of the current record.
    var fieldCount: Int { spans.count }

    /// The text of field `i` (0-based) of the current record, quotes removed.
    func field(_ i: Int) -> String {
        bytes.withUnsafeBufferPointer { b in Self.text(of: spans[i], in: b) }
    }

    /// Calls `body` with the window's bytes and the current record's field spans, without
    /// copying either (both valid only inside `body`).
    func withRecord<T>(_ body: (UnsafeBufferPointer<UInt8>, UnsafeBufferPointer<FieldSpan>) -> T) -> T {
        window.bytes.withUnsafeBufferPointer { b in spans.withUnsafeBufferPointer { body(b, $0) } }
    }

    /// The text of a field, quotes removed.
    static func text(of span: FieldSpan, in b: UnsafeBufferPointer<UInt8>) -> String {
        let s = span.start, e = span.end
        if !span.escaped { return String(decoding: UnsafeBufferPointer(rebasing: b[s..<e]), as: UTF8.self) }
        var out: [UInt8] = []
        out.reserveCapacity(e - s)
        var inQuotes = false, k = s
        while k < e {
            let c = b[k]
            if c == Self.quote {
                if inQuotes, k + 1 < e, b[k + 1] == Self.quote { out.append(c); k += 2; continue }
                inQuotes.toggle(); k += 1; continue
            }
            out.append(c); k += 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// All fields of the current record.
    var fields: [String] { (0..<fieldCount).map(field) }

    /// The current record exactly as in the file, without its line terminator.
    var rawText: String {
        bytes.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[recordStart..<recordEnd]), as: UTF8.self)
        }
    }

    /// Moves to the next record; `false` at the end of the file.
    mutating func nextRecord() -> Bool {
        while true {
            let resume = position, resumeLine = currentLine
            spans.removeAll(keepingCapacity: true)
            malformed = nil
            terminated = false
            let found = window.bytes.withUnsafeBufferPointer { b -> Bool in
                guard skipBlankLines(b) else { return false }
                if let d = delimiter.byte { scanDelimited(b, delimiter: d) } else { scanWhitespace(b) }
                return true
            }
            // Only a record ended by a line feed inside the window is known to be whole.
            if terminated || window.atEnd {
                guard found else { return false }
                if malformed == nil {
                    malformed = window.bytes.withUnsafeBufferPointer { b in
                        Self.textProblem(UnsafeBufferPointer(rebasing: b[recordStart..<recordEnd]))
                    }
                }
                return true
            }
            position = resume; currentLine = resumeLine
            _ = window.refill(keepingFrom: resume)
            position = 0
        }
    }

    /// Why a record's bytes are not text — a NUL byte, or bytes that are not UTF-8 — or nil.
    /// Plain ASCII records (the common case) cost one scan; UTF-8 is decoded only from the first
    /// byte ≥ 0x80 on.
    static func textProblem(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
        guard let first = firstNonASCIIOrNUL(bytes) else { return nil }
        if let nul = bytes[first...].firstIndex(of: 0) {
            return "contains a NUL byte at byte \(nul + 1) of the record (binary data is not text)"
        }
        // Bytes before `first` are ASCII, so decoding can start there.
        var iterator = bytes[first...].makeIterator()
        var decoder = UTF8()
        var offset = first
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): offset += UTF8.width(scalar)
            case .emptyInput: return nil
            case .error:
                return "not valid UTF-8 (byte 0x\(String(bytes[offset], radix: 16, uppercase: true)) at byte \(offset + 1) of the record); "
                    + "convert the file to UTF-8 first, e.g. iconv -f latin1 -t utf-8"
            }
        }
    }

    /// Index of the first byte that is 0 or ≥ 0x80, or `nil`. Eight bytes at a time: a record is
    /// scanned once more after splitting, so this pass must cost little next to the split.
    static func firstNonASCIIOrNUL(_ b: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = b.count
        var i = 0
        if let base = b.baseAddress {
            let raw = UnsafeRawPointer(base)
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            while i + 8 <= n {
                let w = raw.loadUnaligned(fromByteOffset: i, as: UInt64.self)
                // High bit set in a byte, or a zero byte (the classic "has zero byte" test).
                if (w | ((w &- ones) & ~w)) & highs != 0 { break }
                i += 8
            }
        }
        while i < n {
            if b[i] == 0 || b[i] >= 0x80 { return i }
            i += 1
        }
        return nil
    }

    /// Skips empty and whitespace-only lines; `false` when only those remain.
    private mutating func skipBlankLines(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = b.count
        while position < n {
            var p = position
            while p < n, b[p] == Self.space || b[p] == Self.tab || b[p] == Self.cr { p += 1 }
            if p == n { position = n; return false }
            if b[p] != Self.lf { return true }
            position = p + 1
            currentLine += 1
        }
        return false
    }

    private func isLineEnd(_ b: UnsafeBufferPointer<UInt8>, _ p: Int) -> Bool {
        b[p] == Self.lf || (b[p] == Self.cr && (p + 1 == b.count || b[p + 1] == Self.lf))
    }

    private mutating func scanDelimited(_ b: UnsafeBufferPointer<UInt8>, delimiter d: UInt8) {
        let n = b.count
        var p = position
        line = currentLine
        recordStart = p
        while true {
            let fieldStart = p
            if p < n, b[p] == Self.quote {
                p += 1
                let contentStart = p
                var needsUnescape = false
                var contentEnd = p
                var linesInside = 0
                while true {
                    if p >= n {
                        malformed = "unterminated quoted field in column \(spans.count + 1) "
                            + "(the quote opened on line \(line + linesInsideBefore(b, recordStart, fieldStart)) is never closed)"
                        spans.append(FieldSpan(start: contentStart, end: n, escaped: false))
                        recordEnd = n
                        currentLine += linesInside
                        position = n
                        return
                    }
                    let c = b[p]
                    if c == Self.quote {
                        if p + 1 < n, b[p + 1] == Self.quote { needsUnescape = true; p += 2; continue }
                        contentEnd = p; p += 1; break
                    }
                    if c == Self.lf { linesInside += 1 }
                    p += 1
                }
                currentLine += linesInside
                // Text after the closing quote, up to the delimiter, is kept.
                while p < n, b[p] != d, !isLineEnd(b, p) { needsUnescape = true; p += 1 }
                if needsUnescape {
                    spans.append(FieldSpan(start: fieldStart, end: p, escaped: true))
                } else {
                    spans.append(FieldSpan(start: contentStart, end: contentEnd, escaped: false))
                }
            } else {
                while p < n {
                    let c = b[p]
                    if c == d || c == Self.lf { break }
                    p += 1
                }
                var end = p
                if end > fieldStart, b[end - 1] == Self.cr, p == n || b[p] == Self.lf { end -= 1 }
                spans.append(FieldSpan(start: fieldStart, end: end, escaped: false))
            }
            if p < n, b[p] == d { p += 1; continue }
            // End of line or file.
            var end = p
            if end > recordStart, b[end - 1] == Self.cr { end -= 1 }
            recordEnd = end
            if p < n, b[p] == Self.cr { p += 1 }   // CR of a CRLF after a closing quote
            if p < n { p += 1; currentLine += 1; terminated = true }
            position = p
            return
        }
    }

    /// Line breaks between the record start and a position (for error messages only).
    private func linesInsideBefore(_ b: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> Int {
        var count = 0
        for k in from..<to where b[k] == Self.lf { count += 1 }
        return count
    }

    private mutating func scanWhitespace(_ b: UnsafeBufferPointer<UInt8>) {
        let n = b.count
        var p = position
        line = currentLine
        recordStart = p
        while p < n, b[p] != Self.lf {
            let c = b[p]
            if c == Self.space || c == Self.tab || c == Self.cr { p += 1; continue }
            let s = p
            while p < n {
                let c = b[p]
                if c == Self.space || c == Self.tab || c == Self.cr || c == Self.lf { break }
                p += 1
            }
            spans.append(FieldSpan(start: s, end: p, escaped: false))
        }
        var end = p
        if end > recordStart, b[end - 1] == Self.cr { end -= 1 }
        recordEnd = end
        if p < n { p += 1; currentLine += 1; terminated = true }
        position = p
    }
}

/// Where one field of a record lies in the window's bytes.
struct FieldSpan {
    var start: Int
    var end: Int
    /// The bytes still hold quotes to remove (`""`, or text after a closing quote).
    var escaped: Bool
}
