/// A source value as a mapper sees it.
enum SourceValue {
    case text(String)
    /// JSON `null`.
    case null
    /// JSON key absent from the object.
    case missing
    /// A JSON array or object.
    case nested
}

/// Gives the mapper the values of one record by slot (a resolved column).
protocol RecordValues {
    func value(slot: Int) -> SourceValue
}

/// Turns one record into a canonical row, or says why it cannot.
///
/// Built once per file, after the columns are resolved against the header; all
/// per-row work is a few lookups and conversions. Values are trimmed of
/// surrounding spaces and tabs; an empty value is NULL.
struct RowMapper {
    /// One canonical field of the target and where its value comes from.
    final class Slot {
        enum Source { case column(Int), constant(String), absent }
        let name: String
        let kind: FieldKind
        let source: Source
        let mapping: FieldMapping?
        /// How the source is named in reasons: `column 'date'`, `key 'ts'`, `constant`.
        let label: String
        let parser: TimestampParser?
        let converter: LocalTimeConverter?
        /// `name (label)`, the start of every reason about this field.
        let reasonPrefix: String

        init(name: String, kind: FieldKind, source: Source, mapping: FieldMapping?, label: String,
             parser: TimestampParser?, converter: LocalTimeConverter?) {
            self.name = name; self.kind = kind; self.source = source; self.mapping = mapping
            self.label = label; self.parser = parser; self.converter = converter
            self.reasonPrefix = "\(name) (\(label))"
        }
    }

    /// A field after conversion.
    enum Converted {
        case null, text(String), number(Double, Int), instant(Int64), date(String), event(EventType)
    }

    let target: LoadTarget
    let slots: [Slot]
    private let deriveAmount: Bool

    /// `resolve` gives the slot of a column, or `nil` when the file lacks it.
    init(mapping: SourceMapping, target: LoadTarget, sourceWord: String,
         resolve: (String) -> Int?) throws(IngestError) {
        self.target = target
        var converters: [String: LocalTimeConverter] = [:]
        func converter(_ id: String) -> LocalTimeConverter? {
            if let c = converters[id] { return c }
            let c = LocalTimeConverter(identifier: id)
            converters[id] = c
            return c
        }
        var slots: [Slot] = []
        for name in target.fields {
            let kind = FieldKind.of(name)
            let field = mapping.fields[name]
            let source: Slot.Source
            let label: String
            if let field {
                if let index = resolve(field.column) { source = .column(index) } else { source = .absent }
                label = "\(sourceWord) '\(field.column)'"
            } else if let constant = mapping.constants[name] {
                source = .constant(constant); label = "constant"
            } else {
                source = .absent; label = "unmapped"
            }
            var parser: TimestampParser?
            if kind == .instant { parser = TimestampParser(field?.format ?? .iso8601) }
            if kind == .date { parser = TimestampParser(field?.format ?? .pattern("yyyy-MM-dd")) }
            let tz = field?.timezone ?? mapping.timezone
            slots.append(Slot(name: name, kind: kind, source: source, mapping: field, label: label,
                              parser: parser, converter: kind == .instant ? converter(tz) : nil))
        }
        self.slots = slots
        deriveAmount = target == .events && mapping.fields["amount"] == nil && mapping.constants["amount"] == nil
            && (mapping.fields["quantity"] != nil || mapping.constants["quantity"] != nil)
            && (mapping.fields["unit_price"] != nil || mapping.constants["unit_price"] != nil)
        // A constant must be a valid value: fail now, not on every row.
        for slot in slots {
            if case .constant(let value) = slot.source, case .failure(let reason) = convert(slot, .text(value)) {
                throw .badMapping(file: mapping.origin, message: "constants: \(reason.text)")
            }
        }
    }

    /// The canonical row of a record, or the reason it is rejected.
    func map<R: RecordValues>(_ record: R) -> Result<CanonicalRow, RejectReason> {
        var values = [Converted](repeating: .null, count: slots.count)
        for (i, slot) in slots.enumerated() {
            let raw: SourceValue
            switch slot.source {
            case .column(let index): raw = record.value(slot: index)
            case .constant(let text): raw = .text(text)
            case .absent: continue
            }
            switch convert(slot, raw) {
            case .success(let v): values[i] = v
            case .failure(let reason): return .failure(reason)
            }
        }
        return .success(build(values))
    }

    private func build(_ v: [Converted]) -> CanonicalRow {
        func text(_ i: Int) -> String? { if case .text(let s) = v[i] { return s }; return nil }
        func number(_ i: Int) -> Double? { if case .number(let d, _) = v[i] { return d }; return nil }
        func instant(_ i: Int) -> Int64? { if case .instant(let t) = v[i] { return t }; return nil }
        switch target {
        case .events:
            guard case .event(let type) = v[1] else { preconditionFailure("event_type not converted") }
            var amount = number(8)
            if deriveAmount, case .number(let q, let qd) = v[6], case .number(let p, let pd) = v[7] {
                amount = DecimalNumber.product((q, qd), (p, pd))
            }
            return .event(EventRow(userId: text(0)!, eventType: type, occurredAt: instant(2)!,
                                   itemId: text(3), category: text(4), orderId: text(5),
                                   quantity: number(6), unitPrice: number(7), amount: amount,
                                   rating: number(9), reviewText: text(10), sessionId: text(11)))
        case .users:
            var birth: String?
            if case .date(let d) = v[2] { birth = d }
            return .user(UserRow(userId: text(0)!, signupAt: instant(1), birthDate: birth,
                                 country: text(3), city: text(4), gender: text(5)))
        case .items:
            return .item(ItemRow(itemId: text(0)!, name: text(1), category: text(2),
                                 price: number(3), brand: text(4)))
        }
    }

    /// What a required field's absence means, for reasons.
    private func requirement(_ name: String) -> String? {
        switch (target, name) {
        case (.events, "user_id"): return "every event needs a user"
        case (.events, "event_type"): return "every event needs a type"
        case (.events, "occurred_at"): return "every event needs a time"
        case (.users, "user_id"): return "every user needs an id"
        case (.items, "item_id"): return "every item needs an id"
        default: return nil
        }
    }

    private func convert(_ slot: Slot, _ raw: SourceValue) -> Result<Converted, RejectReason> {
        let prefix = slot.reasonPrefix
        var text: String
        switch raw {
        case .text(let s): text = Self.trimmed(s)
        case .null, .missing:
            if slot.kind == .eventType, let d = slot.mapping?.defaultValue { text = d; break }
            if let need = requirement(slot.name) {
                return .failure(RejectReason("\(prefix): \(raw.isMissing ? "missing" : "null") — \(need)"))
            }
            return .success(.null)
        case .nested:
            return .failure(RejectReason("\(prefix): expected a string, number, boolean or null, got an array or object"))
        }
        if slot.kind != .eventType, let m = slot.mapping { text = Self.applyValueRules(text, m) }
        if text.isEmpty, slot.kind != .eventType {
            if let need = requirement(slot.name) { return .failure(RejectReason("\(prefix): empty — \(need)")) }
            return .success(.null)
        }
        switch slot.kind {
        case .text:
            return .success(.text(text))
        case .number:
            guard let n = DecimalNumber.parse(text) else {
                return .failure(RejectReason("\(prefix): expected a number, got '\(text)'"))
            }
            return .success(.number(n.value, n.decimals))
        case .instant, .date:
            let parser = slot.parser!
            switch parser.parse(text) {
            case .failure(let f):
                let detail = f.detail.map { " (\($0))" } ?? ""
                let expected = parser.format == .iso8601 ? "an ISO-8601 date or date-time" : parser.format.name
                return .failure(RejectReason("\(prefix): expected \(expected), got '\(text)'\(detail)"))
            case .success(let t):
                if slot.kind == .date {
                    // The date as written (a Unix time gives its UTC date).
                    let (y, m, d) = UTCTime.civil(fromDays: t.days)
                    return .success(.date(UTCTime.dateText(year: y, month: m, day: d)))
                }
                if let offset = t.offset { return .success(.instant(t.localSeconds - offset)) }
                return .success(.instant(slot.converter!.utc(localSeconds: t.localSeconds)))
            }
        case .eventType:
            if let type = Self.eventType(text, slot.mapping) { return .success(.event(type)) }
            if text.isEmpty { return .failure(RejectReason("\(prefix): empty — every event needs a type")) }
            return .failure(RejectReason("\(prefix): '\(text)' is not one of "
                + EventType.allCases.map(\.rawValue).joined(separator: ", ")))
        }
    }

    /// event_type: exact `values`, then a canonical name, then `prefixes`, then `default`.
    private static func eventType(_ text: String, _ m: FieldMapping?) -> EventType? {
        if let m, let v = m.values[text] { return EventType(rawValue: v) }
        if let t = EventType(rawValue: text) { return t }
        if let m {
            for rule in m.prefixes where !text.isEmpty && text.hasPrefix(rule.prefix) { return EventType(rawValue: rule.value) }
            if let d = m.defaultValue { return EventType(rawValue: d) }
        }
        return nil
    }

    /// Other fields: exact `values`, then `prefixes`, then `default` for an empty value.
    private static func applyValueRules(_ text: String, _ m: FieldMapping) -> String {
        if m.values.isEmpty, m.prefixes.isEmpty, m.defaultValue == nil { return text }
        if let v = m.values[text] { return v }
        for rule in m.prefixes where !text.isEmpty && text.hasPrefix(rule.prefix) { return rule.value }
        if text.isEmpty, let d = m.defaultValue { return d }
        return text
    }

    /// Removes leading and trailing spaces, tabs and line breaks.
    static func trimmed(_ s: String) -> String {
        let u = s.utf8
        guard let f = u.first, let l = u.last else { return s }
        func ws(_ c: UInt8) -> Bool { c == 0x20 || c == 0x09 || c == 0x0D || c == 0x0A }
        if !ws(f) && !ws(l) { return s }
        guard let start = u.firstIndex(where: { !ws($0) }) else { return "" }
        let end = u.lastIndex(where: { !ws($0) })!
        return String(s[start...end])
    }
}

/// Why a record is rejected: names the field, the source column and what was expected.
struct RejectReason: Error {
    let text: String
    init(_ text: String) { self.text = text }
}

extension SourceValue {
    var isMissing: Bool { if case .missing = self { return true }; return false }
}
