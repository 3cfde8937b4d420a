import Foundation

/// A value of a flat JSON object, as the row mapper sees it.
enum JSONFieldValue: Equatable {
    /// A string, or a number or boolean written as text (`12.5`, `true`).
    case text(String)
    case null
    /// An array or object: not a value a canonical field can hold.
    case nested
}

/// Splits JSON Lines into records: one JSON object per non-blank line.
///
/// Lines are found on bytes (LF or CRLF, a leading UTF-8 BOM skipped, blank
/// lines skipped); each line is decoded with `JSONSerialization`. A line that
/// is not a JSON object becomes a malformed record. Numbers become their
/// decimal text (`1.50` → `1.5`), booleans `true`/`false`, `null` a missing value.
struct JSONLinesReader {
    private var window: ByteWindow
    /// Index in the window's bytes of the first byte not yet consumed.
    private var position: Int
    private var currentLine = 1

    /// 1-based line of the current record.
    private(set) var line = 0
    private(set) var recordStart = 0
    private(set) var recordEnd = 0
    /// The current record's keys and values (empty when malformed).
    private(set) var object: [String: JSONFieldValue] = [:]
    /// Why the current line is not a record, if it is not.
    private(set) var malformed: String?

    init(bytes: [UInt8]) {
        self.init(window: ByteWindow(bytes: bytes))
    }

    /// Reads through `window` (a file in chunks); a line cut by the window's end is read again whole.
    init(window: ByteWindow) {
        self.window = window
        position = window.utf8BOMLength
    }

    /// The window's bytes (valid until the next ``nextRecord()``).
    var bytes: [UInt8] { window.bytes }
    /// Bytes of the source consumed so far.
    var bytesConsumed: Int { window.base + position }
    /// Why reading the source failed part-way, if it did (the records before it are good).
    var readError: String? { window.readError }

    /// The current line exactly as in the file, without its terminator.
    var rawText: String {
        bytes.withUnsafeBufferPointer { b in
            String(decoding: UnsafeBufferPointer(rebasing: b[recordStart..<recordEnd]), as: UTF8.self)
        }
    }

    /// Moves to the next non-blank line; `false` at the end of the file.
    mutating func nextRecord() -> Bool {
        while true {
            switch findLine() {
            case .found: decodeCurrent(); return true
            case .end: return false
            case .cut:
                // Refilled or not, the next pass sees the line whole (or as the last one).
                _ = window.refill(keepingFrom: position)
                position = 0
            }
        }
    }

    private enum Scan { case found, end, cut }

    /// Finds the next non-blank line in the window; `.cut` when it may go on past the window.
    private mutating func findLine() -> Scan {
        let n = window.bytes.count
        return window.bytes.withUnsafeBufferPointer { b -> Scan in
            while position < n {
                var p = position
                var blank = true
                while p < n, b[p] != UInt8(ascii: "\n") {
                    let c = b[p]
                    if c != 0x20, c != 0x09, c != 0x0D { blank = false }
                    p += 1
                }
                if p == n, !window.atEnd { return .cut }
                let start = position
                var end = p
                if end > start, b[end - 1] == 0x0D { end -= 1 }
                line = currentLine
                position = p < n ? p + 1 : p
                currentLine += 1
                if blank { continue }
                recordStart = start; recordEnd = end
                return .found
            }
            return window.atEnd ? .end : .cut
        }
    }

    private mutating func decodeCurrent() {
        object = [:]
        malformed = nil
        let data = Data(bytes[recordStart..<recordEnd])
        let parsed: Any
        do {
            parsed = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            malformed = "not valid JSON"
            return
        }
        guard let dict = parsed as? [String: Any] else {
            malformed = "expected a JSON object, found \(Self.kind(of: parsed))"
            return
        }
        for (key, value) in dict {
            if let text = value as? String, text.contains("\u{0}") {
                object = [:]
                malformed = "key '\(key)' contains a NUL character (binary data is not text)"
                return
            }
            object[key] = Self.fieldValue(value)
        }
    }

    private static func fieldValue(_ value: Any) -> JSONFieldValue {
        switch value {
        case let s as String: return .text(s)
        case is NSNull: return .null
        case let n as NSNumber:
            if String(cString: n.objCType) == "c" { return .text(n.boolValue ? "true" : "false") }
            // JSON has one number type: 1000, 1e3 and 1000.0 are the same value, written 1000.
            let double = n.doubleValue
            if double.rounded() == double, double.magnitude < 9.0e15 { return .text(String(Int64(double))) }
            return .text(n.stringValue)
        default: return .nested
        }
    }

    private static func kind(of value: Any) -> String {
        switch value {
        case is String: return "a string"
        case is NSNull: return "null"
        case is NSNumber: return "a number"
        case is [Any]: return "an array"
        default: return "another value"
        }
    }
}
