import Foundation
import GRDB

/// The feature views: one `queries/features/<view>.sql` file per view, holding a SELECT.
/// The view is named after the file. A view is replaced only when its SQL changed, so
/// installing twice changes nothing. Everything happens in one transaction: a broken view
/// leaves the previous views in place.
///
/// Only `init` replaces an installed view (`replace: true`); `load` and `build` create missing
/// views and report the ones whose file differs, so a nightly job that forgets `--sql-dir`
/// never swaps an analyst's edited view for the bundled one behind their back.
struct FeatureViews {
    let sql: SQLDirectory

    /// Creates missing views and, with `replace`, replaces changed ones, in one transaction.
    /// - Returns: the views created or replaced, and (without `replace`) the installed views
    ///   whose file differs and were left as they are.
    func install(in writer: some DatabaseWriter, replace: Bool) throws -> (changed: [String], differing: [String]) {
        let views = try sql.featureViews()
        return try writer.write { db in
            var pending: [(name: String, sql: String)] = []
            var differing: [String] = []
            for view in views {
                let wanted = Self.createStatement(name: view.name, select: view.sql)
                let existing = try String.fetchOne(db, sql: "select sql from sqlite_master where type = 'view' and name = ?", arguments: [view.name])
                if existing == wanted { continue }
                if existing == nil || replace { pending.append(view) } else { differing.append(view.name) }
            }
            let changed = pending.map(\.name)
            for view in pending {
                try Self.namingFile(view.name) {
                    try db.execute(sql: "drop view if exists \(view.name.quotedDatabaseIdentifier)")
                    try db.execute(sql: Self.createStatement(name: view.name, select: view.sql))
                }
            }
            // SQLite resolves a view's tables and columns only when it is used: compile each
            // changed view now so that a mistake names its file at `init`, not in tomorrow's build.
            for view in pending {
                try Self.namingFile(view.name) {
                    _ = try db.makeStatement(sql: "select * from \(view.name.quotedDatabaseIdentifier) limit 0")
                }
            }
            return (changed, differing)
        }
    }

    private static func namingFile(_ view: String, _ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as DatabaseError {
            throw WarehouseError.sqlFile(name: "queries/features/\(view).sql", message: error.message ?? "\(error)")
        }
    }

    static func createStatement(name: String, select: String) -> String {
        var body = select.trimmingCharacters(in: .whitespacesAndNewlines)
        while body.hasSuffix(";") { body.removeLast() }
        return "CREATE VIEW \(name.quotedDatabaseIdentifier) AS\n\(body)"
    }
}

extension Warehouse {
    /// SHA-256 of the `CREATE VIEW` statement `init` makes from the bundled
    /// `queries/features/<view>.sql`, for the views callers rely on (a test checks them against
    /// the bundle). Kept as constants so that no run has to find the resource bundle, which a
    /// binary run with `--sql-dir` away from its build folder may not have.
    static let bundledViewHashes = [
        "feature_as_of": "43c42dba7b414ec37e59d38b1a7b585ca060f69dd6d34b50b4a577b3b6a5a619",
        "retention_summary": "6c1d087fb70eacb20d58b855ae4b2723383511095d7aaff2bbf1fe4ab64f1ed7",
        "user_engagement": "17277c356e5951b18e48b5142e09a73d788c42e30902039f90eb5f52826c0847",
        "user_event_totals": "907ca429955af3f14f74e967c8fcebb21d9a71efee1d2cfa482b2323ae980e3e",
        "user_features": "7ffdc07866c36e2a6bd4b7d9fcd0ef31e7eaaa0d4076adaf2a4cbf8bad95cdef",
        "user_ratings": "16f5228db19ead2f8f7f5e360209ef354cd0f042588d5226c9674d311a43a713",
        "user_rfm": "24508e1723971a96fd90cf65416225c6e499d1e60e191c738254ec9d25ef54fb",
    ]

    /// Whether every bundled feature view is installed exactly as bundled: then each of them, and
    /// everything it reads, is shopseg's own SQL, whose rows each depend on one user's events only.
    static func bundledViewsUnchanged(_ db: Database) throws -> Bool {
        let installed = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: """
            select name, sql from main.sqlite_master where type = 'view'
            """).map { ($0["name"] as String, $0["sql"] as String) })
        return bundledViewHashes.allSatisfy { name, hash in installed[name].map(ContentHash.sha256(of:)) == hash }
    }

    /// Whether the installed view `name` is exactly the bundled `queries/features/<name>.sql`
    /// (as `init` creates it from the bundle), so a caller may rely on what that file selects.
    /// False when the view is missing, edited, or not one of ``bundledViewHashes``.
    public func viewIsBundled(_ name: String) throws -> Bool {
        guard let bundled = Self.bundledViewHashes[name] else { return false }
        let installed = try pool.read { db in
            try String.fetchOne(db, sql: "select sql from sqlite_master where type = 'view' and name = ?", arguments: [name])
        }
        return installed.map(ContentHash.sha256(of:)) == bundled
    }
}
