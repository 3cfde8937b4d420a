import ShopsegIngest
/// The file format of generated files.
public enum SyntheticFormat: String, CaseIterable, Sendable {
    case csv, jsonl

    /// The events file's extension.
    public var fileExtension: String { rawValue }
}

/// Text of the rows of each generated file, in CSV (RFC 4180, comma, header of canonical
/// names) or JSON Lines (ids and text as strings, numbers as numbers, empty fields left out).
enum RowText {
    static let eventColumns = ["user_id", "event_type", "occurred_at", "item_id", "category", "order_id", "quantity",
                               "unit_price", "amount", "rating", "review_text", "session_id"]
    static let userColumns = ["user_id", "signup_at", "birth_date", "country", "city", "gender"]
    static let itemColumns = ["item_id", "name", "category", "price", "brand"]
    static let truthColumns = ["user_id", "planted_segment"]

    /// A field: text (quoted in JSON), a number (bare in JSON) or nothing.
    enum Field {
        case text(String), number(String), none
    }

    static func header(_ columns: [String], format: SyntheticFormat) -> String? {
        format == .csv ? columns.joined(separator: ",") + "\n" : nil
    }

    static func line(_ columns: [String], _ fields: [Field], format: SyntheticFormat, into out: inout String) {
        switch format {
        case .csv:
            for (index, field) in fields.enumerated() {
                if index > 0 { out.append(",") }
                switch field {
                case .text(let value): appendCSV(value, into: &out)
                case .number(let value): out.append(value)
                case .none: break
                }
            }
        case .jsonl:
            out.append("{")
            var first = true
            for (column, field) in zip(columns, fields) {
                switch field {
                case .none: continue
                case .text(let value):
                    out.append(first ? "\"" : ",\""); out.append(column); out.append("\":"); appendJSON(value, into: &out)
                case .number(let value):
                    out.append(first ? "\"" : ",\""); out.append(column); out.append("\":"); out.append(value)
                }
                first = false
            }
            out.append("}")
        }
        out.append("\n")
    }

    static func event(_ e: SyntheticEvent, userId: String, format: SyntheticFormat, into out: inout String) {
        line(eventColumns, [
            .text(userId), .text(e.kind.rawValue), .text(UTCTime.iso8601(e.time)), .text(e.itemId), .text(e.category),
            e.orderId.map(Field.text) ?? .none,
            e.quantity.map { .number(String($0)) } ?? .none,
            e.unitPriceCents.map { .number(money($0)) } ?? .none,
            e.amountCents.map { .number(money($0)) } ?? .none,
            e.rating.map { .number(String($0)) } ?? .none,
            e.reviewText.map(Field.text) ?? .none,
            e.sessionId.map(Field.text) ?? .none,
        ], format: format, into: &out)
    }

    static func user(_ u: SyntheticUser, format: SyntheticFormat, into out: inout String) {
        line(userColumns, [.text(u.userId), .text(UTCTime.iso8601(u.signupTime)), .text(u.birthDate), .text(u.country),
                           .text(u.city), u.gender.isEmpty ? .none : .text(u.gender)], format: format, into: &out)
    }

    static func item(_ i: SyntheticItem, format: SyntheticFormat, into out: inout String) {
        line(itemColumns, [.text(i.itemId), .text(i.name), .text(i.category), .number(money(i.priceCents)), .text(i.brand)],
             format: format, into: &out)
    }

    static func truth(userId: String, segment: PlantedSegment, format: SyntheticFormat, into out: inout String) {
        line(truthColumns, [.text(userId), .text(segment.rawValue)], format: format, into: &out)
    }

    /// `1234` → `12.34`.
    static func money(_ cents: Int) -> String {
        let fraction = cents % 100
        return "\(cents / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }

    private static func appendCSV(_ value: String, into out: inout String) {
        if value.utf8.contains(where: { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) {
            out.append("\"")
            out.append(value.replacingOccurrences(of: "\"", with: "\"\""))
            out.append("\"")
        } else {
            out.append(value)
        }
    }

    private static func appendJSON(_ value: String, into out: inout String) {
        out.append("\"")
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            default: out.unicodeScalars.append(scalar)
            }
        }
        out.append("\"")
    }
}
