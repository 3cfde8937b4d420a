import Foundation

/// Where the project's SQL lives: `migrations/NNNN_name.sql`, `queries/features/<view>.sql` and
/// `queries/campaigns/*.sql`.
///
/// By default the copy bundled with the binary (a SwiftPM resource bundle next to the executable);
/// analysts who edit views in place pass their checkout with `--sql-dir` (or `SHOPSEG_SQL_DIR`).
public struct SQLDirectory: Sendable, Equatable {
    /// Folder holding `migrations/` and `queries/`.
    public let root: URL

    public init(root: URL) { self.root = root }

    /// The SQL bundled with shopseg.
    public static var bundled: SQLDirectory { SQLDirectory(root: Bundle.module.resourceURL!) }

    public var migrationsURL: URL { root.appendingPathComponent("migrations") }
    public var featureViewsURL: URL { root.appendingPathComponent("queries/features") }
    /// `queries/campaigns/`: one campaign per `.sql` file (see ``CampaignFile``); may be absent.
    public var campaignsURL: URL { root.appendingPathComponent("queries/campaigns") }

    /// `(identifier, sql)` for every `NNNN_*.sql` file in `migrations/`, in file-name order.
    /// Throws ``WarehouseError/sqlDirectory(path:message:)`` when the folder is missing or empty.
    public func migrations() throws -> [(identifier: String, sql: String)] {
        let files = try sqlFiles(in: migrationsURL, what: "migrations")
        for file in files where !Self.isMigrationName(file.lastPathComponent) {
            throw WarehouseError.sqlDirectory(path: file.path, message: "a migration is named NNNN_verb_object.sql (four digits, then lower-case words)")
        }
        return try files.map { ($0.deletingPathExtension().lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// `(viewName, selectSQL)` for every `<view>.sql` file in `queries/features/`, in file-name order.
    public func featureViews() throws -> [(name: String, sql: String)] {
        try sqlFiles(in: featureViewsURL, what: "feature views").map { ($0.deletingPathExtension().lastPathComponent, try String(contentsOf: $0, encoding: .utf8)) }
    }

    /// `0001_create_raw_tables.sql`: four digits, an underscore, lower-case letters, digits and underscores.
    static func isMigrationName(_ name: String) -> Bool {
        let stem = name.hasSuffix(".sql") ? name.dropLast(4) : Substring(name)
        let digits = stem.prefix(4), rest = stem.dropFirst(4)
        return name.hasSuffix(".sql") && digits.count == 4 && digits.allSatisfy(\.isASCII) && digits.allSatisfy(\.isNumber)
            && rest.hasPrefix("_") && rest.count > 1
            && rest.dropFirst().allSatisfy { $0.isASCII && ($0.isLowercase || $0.isNumber || $0 == "_") }
    }

    private func sqlFiles(in folder: URL, what: String) throws -> [URL] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw WarehouseError.sqlDirectory(path: folder.path, message: "cannot list \(what): \(error.localizedDescription)")
        }
        let files = names.filter { $0.hasSuffix(".sql") }.sorted().map { folder.appendingPathComponent($0) }
        if files.isEmpty { throw WarehouseError.sqlDirectory(path: folder.path, message: "no .sql files (\(what))") }
        return files
    }
}
