import GRDB

/// Forward-only migrations from `migrations/NNNN_name.sql`, applied through GRDB's
/// `DatabaseMigrator` (one transaction each, identifiers recorded in `grdb_migrations`).
/// Never edit an applied migration: add a new file.
struct Migrations {
    let sql: SQLDirectory

    /// Applies what is pending; returns the identifiers applied now.
    func apply(to writer: some DatabaseWriter) throws -> [String] {
        var migrator = DatabaseMigrator()
        let files = try sql.migrations()
        for file in files {
            migrator.registerMigration(file.identifier) { db in
                do {
                    try db.execute(sql: file.sql)
                } catch let error as DatabaseError {
                    throw WarehouseError.sqlFile(name: "migrations/\(file.identifier).sql", message: error.message ?? "\(error)")
                }
            }
        }
        let before = try writer.read { try migrator.appliedIdentifiers($0) }
        try migrator.migrate(writer)
        return files.map(\.identifier).filter { !before.contains($0) }
    }

    /// The folder's migrations not in `applied`, in file order.
    func pending(applied: Set<String>) throws -> [String] {
        try sql.migrations().map(\.identifier).filter { !applied.contains($0) }
    }
}

extension Warehouse {
    /// Migrations of the SQL folder this database has not applied yet, when it has applied some
    /// (an upgrade; a new database's migrations are instant). Empty otherwise.
    public func pendingUpgrade() throws -> [String] {
        let applied = try pool.read { db in
            try db.tableExists("grdb_migrations")
                ? Set(try String.fetchAll(db, sql: "select identifier from grdb_migrations")) : []
        }
        guard !applied.isEmpty else { return [] }
        return try Migrations(sql: sql).pending(applied: applied)
    }
}
