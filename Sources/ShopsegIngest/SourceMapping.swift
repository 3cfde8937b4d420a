/// How the columns of one source file become canonical fields.
///
/// Usually loaded from a YAML mapping file with ``load(from:)`` (the format is
/// documented in `docs/mapping.md`); ``canonical(target:format:delimiter:)``
/// is the mapping used when no file is given: a header naming canonical fields.
///
/// ```swift
/// let mapping = try SourceMapping.load(from: URL(fileURLWithPath: "cdnow_master.yaml"))
/// var reader = try SourceFileReader(file: data, mapping: mapping, target: .events)
/// while let record = reader.next() { … }
/// ```
///
/// ## Topics
/// - Reading: ``format``, ``delimiter``, ``hasHeader``, ``columns``
/// - Mapping: ``fields``, ``constants``, ``timezone``
/// - Checking: ``validate(for:)``
public struct SourceMapping: Sendable, Equatable {
    /// `csv` (default) or `jsonl`.
    public var format: SourceFormat
    /// Field separator of a CSV source (default comma).
    public var delimiter: Delimiter
    /// Whether the first non-blank line of a CSV source names the columns (default true).
    public var hasHeader: Bool
    /// Column names of a header-less CSV source; without them columns are named "1", "2", ….
    public var columns: [String]?
    /// IANA time zone for naive local times (default `UTC`).
    public var timezone: String
    /// The target the mapping declares it is for, if it says.
    public var target: LoadTarget?
    /// Canonical field name → where its value comes from.
    public var fields: [String: FieldMapping]
    /// Canonical field name → a value used for every row.
    public var constants: [String: String]
    /// Where the mapping came from, for error messages (a path or `<built-in mapping>`).
    public var origin: String

    public init(format: SourceFormat = .csv, delimiter: Delimiter = .comma, hasHeader: Bool = true,
                columns: [String]? = nil, timezone: String = "UTC", target: LoadTarget? = nil,
                fields: [String: FieldMapping] = [:], constants: [String: String] = [:],
                origin: String = "<built-in mapping>") {
        self.format = format; self.delimiter = delimiter; self.hasHeader = hasHeader
        self.columns = columns; self.timezone = timezone; self.target = target
        self.fields = fields; self.constants = constants; self.origin = origin
    }

    /// The mapping for a file whose header (CSV) or keys (JSON Lines) are the
    /// canonical field names of `target`.
    ///
    /// Required fields must be present; other canonical columns may be absent
    /// (their fields are NULL). `occurred_at` and `signup_at` are ISO-8601,
    /// `birth_date` is `yyyy-MM-dd`, naive times are UTC.
    public static func canonical(target: LoadTarget, format: SourceFormat, delimiter: Delimiter) -> SourceMapping {
        var fields: [String: FieldMapping] = [:]
        for name in target.fields {
            var field = FieldMapping(column: name)
            field.isOptional = !target.requiredFields.contains(name)
            if FieldKind.of(name) == .instant { field.format = .iso8601 }
            if FieldKind.of(name) == .date { field.format = .pattern("yyyy-MM-dd") }
            fields[name] = field
        }
        return SourceMapping(format: format, delimiter: delimiter, target: target, fields: fields)
    }

    /// Checks the mapping against a target: every field is a canonical field of
    /// `target`, every required field is mapped, formats suit their fields, the
    /// time zones exist and constants are valid values.
    ///
    /// - Throws: ``IngestError/badMapping(file:message:)``.
    public func validate(for target: LoadTarget) throws(IngestError) {
        func bad(_ message: String) -> IngestError { .badMapping(file: origin, message: message) }
        if let declared = self.target, declared != target {
            throw bad("the mapping is for \(declared.rawValue), not \(target.rawValue)")
        }
        for name in fields.keys.sorted() + constants.keys.sorted() where !target.fields.contains(name) {
            throw bad("'\(name)' is not a field of \(target.rawValue) (fields: \(target.fields.joined(separator: ", ")))")
        }
        for name in fields.keys.sorted() where constants[name] != nil {
            throw bad("'\(name)' is both mapped to a column and given a constant")
        }
        for name in target.requiredFields where fields[name] == nil && constants[name] == nil {
            throw bad("required field '\(name)' is not mapped (map it under fields: or give it under constants:)")
        }
        if LocalTimeConverter(identifier: timezone) == nil {
            throw bad("unknown time zone '\(timezone)' (use an IANA name such as Europe/London or UTC)")
        }
        for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
            let kind = FieldKind.of(name)
            if field.format != nil, kind != .instant, kind != .date {
                throw bad("\(name): format applies only to occurred_at, signup_at and birth_date")
            }
            if kind == .date, let f = field.format, case .pattern = f, f.hasTime {
                throw bad("\(name): format '\(f.name)' has a time of day; birth_date is a calendar date")
            }
            if let tz = field.timezone, LocalTimeConverter(identifier: tz) == nil {
                throw bad("\(name): unknown time zone '\(tz)' (use an IANA name such as Europe/London or UTC)")
            }
            if kind == .eventType {
                let targets = Array(field.values.values) + field.prefixes.map(\.value) + [field.defaultValue].compactMap { $0 }
                for t in targets where EventType(rawValue: t) == nil {
                    throw bad("event_type: '\(t)' is not one of \(EventType.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
        }
        if format == .csv, !hasHeader, columns == nil {
            for (name, field) in fields.sorted(by: { $0.key < $1.key }) {
                guard let n = Int(field.column), n >= 1 else {
                    throw bad("\(name): column '\(field.column)' cannot be found in a file without a header; "
                        + "name columns by position (\"1\", \"2\", …) or list them under columns:")
                }
            }
        }
    }
}

/// Where one canonical field's value comes from.
public struct FieldMapping: Sendable, Equatable {
    /// The source column (CSV header name or position, JSON key).
    public var column: String
    /// Date/time format, for `occurred_at`, `signup_at` (default `iso8601`) and
    /// `birth_date` (default `yyyy-MM-dd`).
    public var format: TimestampFormat?
    /// Time zone for naive times of this column, overriding the mapping's.
    public var timezone: String?
    /// Exact source value → canonical value (`AddToCart: cart`).
    public var values: [String: String]
    /// Source value prefix → canonical value (`C: return`), longest prefix first.
    public var prefixes: [PrefixRule]
    /// Value used when nothing else matches (event_type) or the value is empty (other fields).
    public var defaultValue: String?
    /// The column may be missing from the header; the field is then NULL.
    public var isOptional: Bool

    public init(column: String, format: TimestampFormat? = nil, timezone: String? = nil,
                values: [String: String] = [:], prefixes: [PrefixRule] = [], defaultValue: String? = nil,
                isOptional: Bool = false) {
        self.column = column; self.format = format; self.timezone = timezone
        self.values = values; self.prefixes = prefixes.sorted { $0.prefix.count > $1.prefix.count }
        self.defaultValue = defaultValue; self.isOptional = isOptional
    }
}

/// `prefix` → `value`: a source value starting with `prefix` maps to `value`.
public struct PrefixRule: Sendable, Equatable {
    public var prefix: String
    public var value: String
    public init(prefix: String, value: String) { self.prefix = prefix; self.value = value }
}

/// How a canonical field's text is converted.
enum FieldKind: Equatable {
    case text, number, instant, date, eventType

    static func of(_ field: String) -> FieldKind {
        switch field {
        case "quantity", "unit_price", "amount", "rating", "price": return .number
        case "occurred_at", "signup_at": return .instant
        case "birth_date": return .date
        case "event_type": return .eventType
        default: return .text
        }
    }
}
