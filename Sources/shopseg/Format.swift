import Foundation
import ShopsegIngest

/// Number formatting for terminal output (stable, locale-independent).
enum Format {
    /// 1234567 → "1,234,567".
    static func count(_ n: Int) -> String { NumberText.grouped(n) }

    static func seconds(_ s: Double) -> String { String(format: "%.1f s", s) }

    static func percent(_ fraction: Double, digits: Int = 1) -> String { String(format: "%.\(digits)f%%", fraction * 100) }

    /// "1 segment", "4 segments".
    static func plural(_ n: Int, _ noun: String) -> String { "\(count(n)) \(noun)\(n == 1 ? "" : "s")" }

    /// A number in at most ~8 characters: 12.3, 1234.5, 1.2e+07.
    static func number(_ value: Double?) -> String {
        guard let value else { return "—" }
        if value != 0 && (abs(value) >= 1e7 || abs(value) < 1e-3) { return String(format: "%.2e", value) }
        return String(format: abs(value) >= 1000 ? "%.0f" : "%.2f", value)
    }

    /// Left-aligned first column, right-aligned others.
    static func table(header: [String], rows: [[String]]) -> String {
        let widths = header.indices.map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, cell in
                let pad = String(repeating: " ", count: widths[column] - cell.count)
                return column == 0 ? cell + pad : pad + cell
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n")
    }
}

/// JSON for `--json` outputs: sorted keys, snake_case, one line.
enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
