import Foundation
import ShopsegWarehouse

/// A fresh temporary folder per test (and a database in it), removed when released.
public final class Scratch {
    public let url: URL

    public init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }

    public var databasePath: String { url.appendingPathComponent("test.db").path }

    /// Writes `text` to `name` in the folder and returns its URL.
    public func file(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    /// A migrated warehouse at ``databasePath``.
    public func warehouse() throws -> Warehouse {
        let warehouse = try Warehouse(path: databasePath)
        try warehouse.prepareSchema()
        return warehouse
    }
}

/// The repository's root, for committed examples and fixtures.
public let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
