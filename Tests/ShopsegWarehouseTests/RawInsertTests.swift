import GRDB
@testable import ShopsegWarehouse
import XCTest

/// Many rows per statement: full statements, the remainder, nothing; every value in its row.
final class RawInsertTests: XCTestCase {
    func testInsertRowsWritesEveryRowOnceInOrder() throws {
        let queue = try DatabaseQueue()
        for count in [0, 1, RawInsert.rowsPerStatement - 1, RawInsert.rowsPerStatement, 2 * RawInsert.rowsPerStatement + 3] {
            let rows = try queue.write { db -> [Row] in
                try db.execute(sql: "create table t (n integer, label text, x real)")
                defer { try? db.execute(sql: "drop table t") }
                try RawInsert.insertRows(db: db, into: "t (n, label, x)", columns: 3, count: count) { insert, p, i in
                    insert.bind(p, i); insert.bind(p + 1, i % 3 == 0 ? nil : "row \(i)"); insert.bind(p + 2, Double(i) / 4)
                }
                return try Row.fetchAll(db, sql: "select n, label, x from t order by rowid")
            }
            XCTAssertEqual(rows.map { $0["n"] as Int }, Array(0..<count), "count \(count)")
            XCTAssertEqual(rows.map { $0["label"] as String? }, (0..<count).map { $0 % 3 == 0 ? nil : "row \($0)" })
            XCTAssertEqual(rows.map { $0["x"] as Double }, (0..<count).map { Double($0) / 4 })
        }
    }
}
