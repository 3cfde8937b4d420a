import Foundation
import Yams

extension SourceMapping {
    /// All canonical field names of all targets.
    static var allCanonicalFields: Set<String> { Set(LoadTarget.allCases.flatMap(\.fields)) }

    /// Reads a YAML mapping file.
    ///
    /// Checks everything that does not depend on the target: the YAML itself,
    /// known keys, canonical field names, date format tokens, time zones, and —
    /// when the file says `target:` — the full ``validate(for:)``.
    ///
    /// - Throws: ``IngestError/fileNotFound(file:)``, ``IngestError/badMapping(file:message:)``.
    public static func load(from yamlFile: URL) throws -> SourceMapping {
        let path = yamlFile.path
        guard FileManager.default.fileExists(atPath: path) else { throw IngestError.fileNotFound(file: path) }
        let text: String
        do { text = try String(contentsOf: yamlFile, encoding: .utf8) } catch {
            throw IngestError.unreadable(file: path, message: error.localizedDescription)
        }
        return try parse(yaml: text, origin: path)
    }

    /// Parses mapping YAML text; `origin` names it in error messages.
    public static func parse(yaml: String, origin: String = "<mapping>") throws(IngestError) -> SourceMapping {
        var parser = MappingYAMLParser(origin: origin)
        return try parser.parse(yaml)
    }
}

/// Turns a YAML document into a ``SourceMapping``, with line numbers in errors.
private struct MappingYAMLParser {
    let origin: String

    func bad(_ node: Node?, _ message: String) -> IngestError {
        if let line = node?.mark?.line { return .badMapping(file: origin, message: "line \(line): \(message)") }
        return .badMapping(file: origin, message: message)
    }

    mutating func parse(_ yaml: String) throws(IngestError) -> SourceMapping {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml, .basic) } catch {
            throw IngestError.badMapping(file: origin, message: "not valid YAML: \(error)")
        }
        guard let root, let top = root.mapping else {
            throw bad(root, "expected a YAML mapping with keys such as format:, fields:")
        }
        var mapping = SourceMapping(origin: origin)
        let known = ["format", "delimiter", "header", "columns", "timezone", "target", "fields", "constants"]
        for (keyNode, value) in top {
            let key = keyNode.string ?? ""
            switch key {
            case "format":
                let s = try scalar(value, "format")
                guard let f = SourceFormat(rawValue: s) else { throw bad(value, "format: expected csv or jsonl, got '\(s)'") }
                mapping.format = f
            case "delimiter":
                let s = try scalar(value, "delimiter")
                guard let d = Delimiter(rawValue: s) ?? Self.delimiterAlias(s) else {
                    throw bad(value, "delimiter: expected comma, tab, semicolon, pipe or whitespace, got '\(s)'")
                }
                mapping.delimiter = d
            case "header":
                let s = try scalar(value, "header")
                switch s.lowercased() {
                case "true", "yes": mapping.hasHeader = true
                case "false", "no": mapping.hasHeader = false
                default: throw bad(value, "header: expected true or false, got '\(s)'")
                }
            case "columns":
                guard let seq = value.sequence else { throw bad(value, "columns: expected a list of column names") }
                var names: [String] = []
                for item in seq { names.append(try scalar(item, "columns")) }
                mapping.columns = names
            case "timezone":
                let s = try scalar(value, "timezone")
                guard LocalTimeConverter(identifier: s) != nil else {
                    throw bad(value, "unknown time zone '\(s)' (use an IANA name such as Europe/London or UTC)")
                }
                mapping.timezone = s
            case "target":
                let s = try scalar(value, "target")
                guard let t = LoadTarget(rawValue: s) else { throw bad(value, "target: expected events, users or items, got '\(s)'") }
                mapping.target = t
            case "fields":
                guard let fields = value.mapping else { throw bad(value, "fields: expected a mapping of canonical field → column") }
                for (nameNode, spec) in fields {
                    let name = try checkedFieldName(nameNode)
                    mapping.fields[name] = try fieldMapping(name, spec)
                }
            case "constants":
                guard let constants = value.mapping else { throw bad(value, "constants: expected a mapping of canonical field → value") }
                for (nameNode, v) in constants {
                    let name = try checkedFieldName(nameNode)
                    mapping.constants[name] = try scalar(v, name)
                }
            default:
                throw bad(keyNode, "unknown key '\(key)' (known: \(known.joined(separator: ", ")))")
            }
        }
        if let target = mapping.target { try mapping.validate(for: target) }
        return mapping
    }

    private static func delimiterAlias(_ s: String) -> Delimiter? {
        switch s {
        case ",": return .comma
        case "\t", "\\t": return .tab
        case ";": return .semicolon
        case "|": return .pipe
        default: return nil
        }
    }

    private func scalar(_ node: Node, _ what: String) throws(IngestError) -> String {
        guard let s = node.scalar?.string else { throw bad(node, "\(what): expected a single value") }
        return s
    }

    private func checkedFieldName(_ node: Node) throws(IngestError) -> String {
        let name = node.string ?? ""
        guard SourceMapping.allCanonicalFields.contains(name) else {
            let all = LoadTarget.allCases.map { "\($0.rawValue): \($0.fields.joined(separator: ", "))" }
            throw bad(node, "unknown canonical field '\(name)' (\(all.joined(separator: "; ")))")
        }
        return name
    }

    private func fieldMapping(_ name: String, _ spec: Node) throws(IngestError) -> FieldMapping {
        if let column = spec.scalar?.string { return FieldMapping(column: column) }
        guard let keys = spec.mapping else {
            throw bad(spec, "\(name): expected a column name or { column: …, format: … }")
        }
        var column: String?
        var field = FieldMapping(column: "")
        var prefixes: [PrefixRule] = []
        for (keyNode, value) in keys {
            switch keyNode.string ?? "" {
            case "column": column = try scalar(value, "\(name).column")
            case "format":
                let text = try scalar(value, "\(name).format")
                do { field.format = try TimestampFormat.parse(text) } catch { throw bad(value, "\(name): \(error.message)") }
            case "timezone":
                let tz = try scalar(value, "\(name).timezone")
                guard LocalTimeConverter(identifier: tz) != nil else {
                    throw bad(value, "\(name): unknown time zone '\(tz)' (use an IANA name such as Europe/London or UTC)")
                }
                field.timezone = tz
            case "values":
                guard let m = value.mapping else { throw bad(value, "\(name).values: expected a mapping source value → value") }
                for (k, v) in m { field.values[try scalar(k, "\(name).values")] = try scalar(v, "\(name).values") }
            case "prefixes":
                guard let m = value.mapping else { throw bad(value, "\(name).prefixes: expected a mapping prefix → value") }
                for (k, v) in m {
                    prefixes.append(PrefixRule(prefix: try scalar(k, "\(name).prefixes"), value: try scalar(v, "\(name).prefixes")))
                }
            case "default": field.defaultValue = try scalar(value, "\(name).default")
            default:
                throw bad(keyNode, "\(name): unknown key '\(keyNode.string ?? "")' "
                    + "(known: column, format, timezone, values, prefixes, default)")
            }
        }
        guard let column else { throw bad(spec, "\(name): missing column:") }
        return FieldMapping(column: column, format: field.format, timezone: field.timezone, values: field.values,
                            prefixes: prefixes, defaultValue: field.defaultValue)
    }
}
