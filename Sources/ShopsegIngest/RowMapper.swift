/// A source value as a mapper sees it.
enum SourceValue {
    /// UTF-8 text (valid UTF-8, no NUL: the readers reject other records before mapping);
    /// the bytes are valid only inside the call that hands them over.
    case text(UnsafeBufferPointer<UInt8>)
    /// JSON `null`.
    case null
    /// JSON key absent from the object.
    case missing
    /// A JSON array or object.
    case nested
}

/// Gives the mapper the values of one record by slot (a resolved column).
protocol RecordValues {
    /// Calls `body` with the value at `slot`.
    func withValue<T>(slot: Int, _ body: (SourceValue) -> T) -> T
}

/// Turns one record into a canonical row, or says why it cannot.
///
/// Built once per file, after the columns are resolved against the header; all
/// per-row work is a few lookups and conversions. Values are trimmed of
/// surrounding spaces and tabs; an empty value is NULL.
///
/// Values arrive as UTF-8 bytes (a CSV field in the reader's window, a JSON string's
/// storage): trimming, numbers, timestamps and event types are read from the bytes, and a
/// `String` is made only for a text field, a mapping rule (values, prefixes, default:
/// compared as Strings, Unicode-aware) or a reject reason. No allocation per row beyond
/// the text fields (Swift keeps strings of up to 15 bytes inline).
struct RowMapper {
    /// One canonical field of the target and where its value comes from.
    final class Slot {
        enum Source { case column(Int), constant([UInt8]), absent }
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
        /// What the field's absence means (`every event needs a user`), or `nil` when it may be NULL.
        let requirement: String?
        /// The mapping has `values`, `prefixes` or a `default` for this field: its text is
        /// matched as a `String` (Unicode-aware, as the rules are written), not as bytes.
        let hasRules: Bool

        init(name: String, kind: FieldKind, source: Source, mapping: FieldMapping?, label: String,
             parser: TimestampParser?, converter: LocalTimeConverter?, requirement: String?) {
            self.name = name; self.kind = kind; self.source = source; self.mapping = mapping
            self.label = label; self.parser = parser; self.converter = converter
            self.reasonPrefix = "\(name) (\(label))"
            self.requirement = requirement
            hasRules = mapping.map { !$0.values.isEmpty || !$0.prefixes.isEmpty || $0.defaultValue != nil } ?? false
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
                source = .constant(Array(constant.utf8)); label = "constant"
            } else {
                source = .absent; label = "unmapped"
            }
            var parser: TimestampParser?
            if kind == .instant { parser = TimestampParser(field?.format ?? .iso8601) }
            if kind == .date { parser = TimestampParser(field?.format ?? .pattern("yyyy-MM-dd")) }
            let tz = field?.timezone ?? mapping.timezone
            slots.append(Slot(name: name, kind: kind, source: source, mapping: field, label: label,
                              parser: parser, converter: kind == .instant ? converter(tz) : nil,
                              requirement: Self.requirement(target, name)))
        }
        self.slots = slots
        deriveAmount = target == .events && mapping.fields["amount"] == nil && mapping.constants["amount"] == nil
            && (mapping.fields["quantity"] != nil || mapping.constants["quantity"] != nil)
            && (mapping.fields["unit_price"] != nil || mapping.constants["unit_price"] != nil)
        // A constant must be a valid value: fail now, not on every row.
        for slot in slots {
            if case .constant(let value) = slot.source,
               case .failure(let reason) = value.withUnsafeBufferPointer({ convert(slot, .text($0)) }) {
                throw .badMapping(file: mapping.origin, message: "constants: \(reason.text)")
            }
        }
    }

    /// The canonical row of a record, or the reason it is rejected.
    func map<R: RecordValues>(_ record: R) -> Result<CanonicalRow, RejectReason> {
        // Each target's row is filled field by field: no per-row array of converted values.
        switch target {
        case .events:
            var row = EventRow(userId: "", eventType: .view, occurredAt: 0)
            var quantity: (value: Double, decimals: Int)?, unitPrice: (value: Double, decimals: Int)?
            let failure = fill(record) { i, v in
                switch i {
                case 0: row.userId = v.text!
                case 1: guard case .event(let type) = v else { preconditionFailure("event_type not converted") }
                    row.eventType = type
                case 2: row.occurredAt = v.instant!
                case 3: row.itemId = v.text
                case 4: row.category = v.text
                case 5: row.orderId = v.text
                case 6: quantity = v.number; row.quantity = quantity?.value
                case 7: unitPrice = v.number; row.unitPrice = unitPrice?.value
                case 8: row.amount = v.number?.value
                case 9: row.rating = v.number?.value
                case 10: row.reviewText = v.text
                default: row.sessionId = v.text
                }
            }
            if let failure { return .failure(failure) }
            if deriveAmount, let quantity, let unitPrice { row.amount = DecimalNumber.product(quantity, unitPrice) }
            return .success(.event(row))
        case .users:
            var row = UserRow(userId: "")
            let failure = fill(record) { i, v in
                switch i {
                case 0: row.userId = v.text!
                case 1: row.signupAt = v.instant
                case 2: if case .date(let d) = v { row.birthDate = d }
                case 3: row.country = v.text
                case 4: row.city = v.text
                default: row.gender = v.text
                }
            }
            if let failure { return .failure(failure) }
            return .success(.user(row))
        case .items:
            var row = ItemRow(itemId: "")
            let failure = fill(record) { i, v in
                switch i {
                case 0: row.itemId = v.text!
                case 1: row.name = v.text
                case 2: row.category = v.text
                case 3: row.price = v.number?.value
                default: row.brand = v.text
                }
            }
            if let failure { return .failure(failure) }
            return .success(.item(row))
        }
    }

    /// Converts each mapped field in target order, handing it to `set` with its index in
    /// `target.fields` (absent fields are skipped: they stay NULL); the first failure stops it.
    private func fill<R: RecordValues>(_ record: R, _ set: (Int, Converted) -> Void) -> RejectReason? {
        for i in slots.indices {
            let slot = slots[i]
            let result: Result<Converted, RejectReason>
            switch slot.source {
            case .column(let index): result = record.withValue(slot: index) { convert(slot, $0) }
            case .constant(let bytes): result = bytes.withUnsafeBufferPointer { convert(slot, .text($0)) }
            case .absent: continue
            }
            switch result {
            case .success(let v): set(i, v)
            case .failure(let reason): return reason
            }
        }
        return nil
    }

    /// What a required field's absence means, for reasons.
    private static func requirement(_ target: LoadTarget, _ name: String) -> String? {
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
        switch raw {
        case .text(let bytes):
            let trimmed = ByteText.trimmed(bytes)
            guard slot.hasRules, slot.kind != .eventType else { return convertTrimmed(slot, trimmed) }
            // Mapping rules compare Strings; their result is converted as if it were the value.
            var text = Self.applyValueRules(String(decoding: trimmed, as: UTF8.self), slot.mapping!)
            return text.withUTF8 { convertTrimmed(slot, $0) }
        case .null, .missing:
            if slot.kind == .eventType, var d = slot.mapping?.defaultValue {
                return d.withUTF8 { convertTrimmed(slot, $0) }
            }
            if let need = slot.requirement {
                return .failure(RejectReason("\(slot.reasonPrefix): \(raw.isMissing ? "missing" : "null") — \(need)"))
            }
            return .success(.null)
        case .nested:
            return .failure(RejectReason("\(slot.reasonPrefix): expected a string, number, boolean or null, got an array or object"))
        }
    }

    /// Converts a trimmed value (value rules already applied); a `String` is made only for a
    /// text field or a reason.
    private func convertTrimmed(_ slot: Slot, _ b: UnsafeBufferPointer<UInt8>) -> Result<Converted, RejectReason> {
        let prefix = slot.reasonPrefix
        func text() -> String { String(decoding: b, as: UTF8.self) }
        if b.isEmpty, slot.kind != .eventType {
            if let need = slot.requirement { return .failure(RejectReason("\(prefix): empty — \(need)")) }
            return .success(.null)
        }
        switch slot.kind {
        case .text:
            return .success(.text(text()))
        case .number:
            guard let n = DecimalNumber.parse(b) else {
                return .failure(RejectReason("\(prefix): expected a number, got '\(text())'"))
            }
            return .success(.number(n.value, n.decimals))
        case .instant, .date:
            let parser = slot.parser!
            switch parser.parse(b) {
            case .failure(let f):
                let detail = f.detail.map { " (\($0))" } ?? ""
                let expected = parser.format == .iso8601 ? "an ISO-8601 date or date-time" : parser.format.name
                return .failure(RejectReason("\(prefix): expected \(expected), got '\(text())'\(detail)"))
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
            let type = slot.hasRules ? Self.eventType(text(), slot.mapping) : ByteText.eventType(b)
            if let type { return .success(.event(type)) }
            if b.isEmpty { return .failure(RejectReason("\(prefix): empty — every event needs a type")) }
            return .failure(RejectReason("\(prefix): '\(text())' is not one of "
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

extension RowMapper.Converted {
    var text: String? { if case .text(let s) = self { return s }; return nil }
    var number: (value: Double, decimals: Int)? { if case .number(let d, let n) = self { return (d, n) }; return nil }
    var instant: Int64? { if case .instant(let t) = self { return t }; return nil }
}
