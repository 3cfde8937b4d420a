import Foundation
import ShopsegIngest
@testable import ShopsegWarehouse
import XCTest

/// A fresh temporary folder per test, removed afterwards.
final class Scratch {
    let url: URL
    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("shopseg-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(at: url) }

    func file(_ name: String, _ text: String) throws -> URL {
        let file = url.appendingPathComponent(name)
        try text.write(to: file, atomically: true, encoding: .utf8)
        return file
    }

    func warehouse() throws -> Warehouse {
        let warehouse = try Warehouse(path: url.appendingPathComponent("test.db").path)
        try warehouse.prepareSchema()
        return warehouse
    }
}

/// The repository's root, for committed examples and fixtures.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

extension Warehouse {
    func loadCanonicalEvents(_ file: URL, maxRejectRate: Double = 0.01, force: Bool = false) throws -> LoadSummary {
        try load(file: file, options: LoadOptions(target: .events, mapping: .canonical(target: .events, format: .csv, delimiter: .comma),
                                                  force: force, maxRejectRate: maxRejectRate))
    }

    func scalar<T: DatabaseValueConvertibleForTests>(_ sql: String) throws -> T? {
        try pool.read { try T.fetchTestValue($0, sql: sql) }
    }
}

import GRDB
protocol DatabaseValueConvertibleForTests { static func fetchTestValue(_ db: Database, sql: String) throws -> Self? }
extension Int: DatabaseValueConvertibleForTests {
    static func fetchTestValue(_ db: Database, sql: String) throws -> Int? { try Int.fetchOne(db, sql: sql) }
}
extension Double: DatabaseValueConvertibleForTests {
    static func fetchTestValue(_ db: Database, sql: String) throws -> Double? { try Double.fetchOne(db, sql: sql) }
}
extension String: DatabaseValueConvertibleForTests {
    static func fetchTestValue(_ db: Database, sql: String) throws -> String? { try String.fetchOne(db, sql: sql) }
}
