import Foundation
import GRDB
import ShopsegIngest
import ShopsegWarehouse
@_exported import ShopsegTestSupport
import XCTest

extension Warehouse {
    /// Reads through a separate connection, as a BI tool would.
    func count(_ sql: String) throws -> Int {
        try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: sql) ?? -1 }
    }
    func text(_ sql: String) throws -> String? {
        try DatabaseQueue(path: path).read { try String.fetchOne($0, sql: sql) }
    }
}

/// A committed fixture under Tests/Fixtures.
func fixture(_ path: String) -> URL {
    repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(path)
}

/// One of the example mappings users are told to start from.
func mapping(_ name: String) throws -> SourceMapping {
    try SourceMapping.load(from: repositoryRoot.appendingPathComponent("examples/mappings").appendingPathComponent(name))
}
