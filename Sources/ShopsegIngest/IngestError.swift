/// A failure that stops a load before any row is produced.
///
/// Row-level problems (a bad number, an impossible date, a missing user id)
/// are not errors: they become ``ParsedRecord/rejected(line:rawText:reason:)``
/// records so the loader can store them in `load_rejects`. `IngestError` is
/// for problems with the file or the mapping as a whole.
///
/// Every message names the file and, where it applies, the line and column
/// and what was expected.
public enum IngestError: Error, Equatable, CustomStringConvertible, Sendable {
    /// The source file does not exist.
    case fileNotFound(file: String)
    /// The source file exists but could not be read (permissions, a directory, I/O error).
    case unreadable(file: String, message: String)
    /// The mapping file is invalid: bad YAML, an unknown canonical field, an
    /// unknown date format token, an unknown time zone, a required field not mapped.
    /// `file` is the mapping file (or `<built-in mapping>`); `message` says where and what.
    case badMapping(file: String, message: String)
    /// A column named by the mapping is not in the source file's header.
    case missingColumn(file: String, column: String, field: String, available: [String])
    /// The source file has no header line although the mapping expects one.
    case missingHeader(file: String)
    /// A column the mapping uses appears more than once in the header (1-based positions).
    case ambiguousColumn(file: String, column: String, positions: [Int])
    /// Without a mapping file, the header has none of the target's fields besides its key:
    /// most likely a file of another kind (events loaded as users).
    case noFieldsForTarget(file: String, target: String, expected: [String], header: [String])

    public var description: String {
        switch self {
        case let .fileNotFound(file):
            return "\(file): no such file"
        case let .unreadable(file, message):
            return "\(file): cannot be read: \(message)"
        case let .badMapping(file, message):
            return "\(file): bad mapping: \(message)"
        case let .missingColumn(file, column, field, available):
            let list = available.map { "'\($0)'" }.joined(separator: ", ")
            // Without a mapping file the column is the canonical field name itself.
            let role = column == field ? "required column '\(column)'" : "column '\(column)' (mapped to \(field))"
            var text = "\(file): line 1: \(role) is not in the header; columns available: \(list)"
            if available.count == 1, let only = available.first, only.contains(where: { ";\t|, ".contains($0) }) {
                text += " — the header was read as a single column: is the delimiter right? (--delimiter, or delimiter: in the mapping)"
            }
            return text
        case let .missingHeader(file):
            return "\(file): expected a header line, found an empty file"
        case let .ambiguousColumn(file, column, positions):
            return "\(file): line 1: column '\(column)' appears \(positions.count) times in the header "
                + "(columns \(positions.map(String.init).joined(separator: ", "))); rename one so the column each field reads is unambiguous"
        case let .noFieldsForTarget(file, target, expected, header):
            return "\(file): line 1: the header has none of the \(target) fields \(expected.joined(separator: ", ")) "
                + "(it has \(header.joined(separator: ", "))); is this a file of \(target)? Pass --mapping to map its columns"
        }
    }
}
