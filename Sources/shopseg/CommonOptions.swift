import ArgumentParser
import Foundation
import ShopsegWarehouse

/// Options every command takes.
struct CommonOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("SQLite database file (default: $SHOPSEG_DB, else ./shopseg.db).", valueName: "path"))
    var db: String?

    @Option(name: .customLong("sql-dir"),
            help: ArgumentHelp("Folder with migrations/, queries/features/ and queries/campaigns/ to use instead of the bundled SQL (also $SHOPSEG_SQL_DIR).", valueName: "dir"))
    var sqlDir: String?

    var databasePath: String {
        db ?? ProcessInfo.processInfo.environment["SHOPSEG_DB"].flatMap { $0.isEmpty ? nil : $0 } ?? "shopseg.db"
    }

    /// Opens the database, creating it when `creating` (init, load, build); `assign` and
    /// `vacuum` refuse a missing file, so a typo in a scheduler's path is exit 66, not a new empty database.
    func openWarehouse(creating: Bool = true) throws -> Warehouse {
        if !creating, !FileManager.default.fileExists(atPath: databasePath) {
            throw WarehouseError.cannotOpen(path: databasePath, reason: "no such file; run `shopseg init` or pass --db")
        }
        let warehouse = try Warehouse(path: databasePath, sql: sqlDirectory)
        // An upgrade can take a while (0006 rebuilds `events`: ≈ 5 s per million events): say so first.
        if let pending = try? warehouse.pendingUpgrade(), !pending.isEmpty {
            printError("upgrading \(databasePath): applying migrations \(pending.joined(separator: ", "))…")
        }
        return warehouse
    }

    /// `--sql-dir`, else `$SHOPSEG_SQL_DIR`, else the SQL bundled with the binary.
    var sqlDirectory: SQLDirectory {
        let dir = sqlDir ?? ProcessInfo.processInfo.environment["SHOPSEG_SQL_DIR"].flatMap { $0.isEmpty ? nil : $0 }
        return dir.map { SQLDirectory(root: URL(fileURLWithPath: $0)) } ?? .bundled
    }
}
