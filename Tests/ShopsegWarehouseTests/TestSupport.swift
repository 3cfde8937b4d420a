import Foundation
import ShopsegIngest
@testable import ShopsegWarehouse
@_exported import ShopsegTestSupport
import XCTest

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
