import GRDB
@testable import shopseg
import ShopsegWarehouse
import XCTest

/// SQLite's "database is locked" after the busy timeout is "busy, retry later" (75), not a failure.
final class ExitCodeTests: XCTestCase {
    func testALockHeldTooLongExits75WithAnExplanation() {
        let locked = DatabaseError(resultCode: .SQLITE_BUSY, message: "database is locked", sql: "BEGIN IMMEDIATE TRANSACTION")
        XCTAssertEqual(ShopsegExit.code(for: locked), 75)
        XCTAssertTrue(ShopsegExit.message(for: locked).hasPrefix("another connection kept the database locked for more than 30 s"),
                      ShopsegExit.message(for: locked))
        XCTAssertEqual(ShopsegExit.code(for: DatabaseError(resultCode: .SQLITE_IOERR, message: "disk I/O error")), 1)
        XCTAssertEqual(ShopsegExit.message(for: WarehouseError.noEvents), "\(WarehouseError.noEvents)")
    }
}
