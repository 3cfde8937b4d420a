/// The file format of a source.
public enum SourceFormat: String, Sendable, CaseIterable {
    /// Delimited text (see ``Delimiter``), RFC 4180 quoting.
    case csv
    /// JSON Lines: one JSON object per line.
    case jsonl
}

/// How fields are separated in a delimited file.
public enum Delimiter: String, Sendable, CaseIterable {
    case comma, tab, semicolon, pipe
    /// Runs of spaces and tabs; leading and trailing whitespace is ignored. No quoting.
    case whitespace

    /// The separator byte, or `nil` for ``whitespace``.
    var byte: UInt8? {
        switch self {
        case .comma: return UInt8(ascii: ",")
        case .tab: return UInt8(ascii: "\t")
        case .semicolon: return UInt8(ascii: ";")
        case .pipe: return UInt8(ascii: "|")
        case .whitespace: return nil
        }
    }
}
