import GRDB

/// The planted types of a synthetic shop (`synthetic_truth`), written by `shopseg generate --db`.
extension Warehouse {
    /// Writes `(user_id, planted_segment)` rows in one transaction with one prepared statement;
    /// a user already present gets the new type. Reads `rows` once, in order, holding none of them.
    /// - Returns: the number of rows written.
    @discardableResult
    public func writeSyntheticTruth<Rows: Sequence>(_ rows: Rows) throws -> Int
    where Rows.Element == (userId: String, plantedSegment: String) {
        try pool.write { db in
            let statement = try db.makeStatement(sql: """
                insert into synthetic_truth (user_id, planted_segment) values (?, ?)
                on conflict (user_id) do update set planted_segment = excluded.planted_segment
                """)
            var count = 0
            for row in rows {
                try statement.execute(arguments: [row.userId, row.plantedSegment])
                count += 1
            }
            return count
        }
    }

    /// Rows of `synthetic_truth`, by user_id.
    public func syntheticTruth() throws -> [(userId: String, plantedSegment: String)] {
        try pool.read { db in
            try Row.fetchAll(db, sql: "select user_id, planted_segment from synthetic_truth order by user_id")
                .map { (userId: $0[0], plantedSegment: $0[1]) }
        }
    }
}
