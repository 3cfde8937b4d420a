import Foundation
import GRDB

/// A feature view read into memory: one row per user, numeric columns only.
public struct FeatureTable: Sendable, Equatable {
    /// The view or table it was read from.
    public let view: String
    /// The key column's name (`user_id` when present, else the first column).
    public let keyColumn: String
    /// n keys, in the view's order, unique.
    public let userIds: [String]
    /// d numeric column names, in the view's order.
    public let columnNames: [String]
    /// n × d values, row-major; SQL NULL is `.nan`.
    public let values: [Double]
    /// The newest events.event_id and load_batches.batch_id in the snapshot the rows were read
    /// from (nil when not recorded).
    public var lastEventId: Int64?
    public var lastBatchId: Int64?
}

extension Warehouse {
    /// Reads `view` as a matrix. Any view or table with a text key column and numeric columns works.
    ///
    /// - Throws: ``WarehouseError/featureView(name:message:)`` when the view is missing, has no
    ///   numeric column, no rows, a null or duplicate key, or a value that is not a number
    ///   (naming the column and the row's key).
    public func readFeatures(view: String) throws -> FeatureTable {
        try pool.read { db in try Self.readFeatures(view: view, db: db) }
    }

    /// Reads `view` as it is at `asOf` (UTC ISO-8601), without changing what other readers see:
    /// `as_of` is set in a transaction that is rolled back once the rows are read, so the
    /// feature views keep the published run's `as_of` until a build publishes.
    /// - Throws: as ``readFeatures(view:)``; ``WarehouseError/noEventsBefore(asOf:firstEventAt:lastEventAt:)``
    ///   when no event is at or before `asOf`.
    /// - Parameter users: when given, only these users' rows are read (through a temporary table
    ///   the view's query is filtered by); an empty result is then not an error.
    public func readFeatures(view: String, asOf: String, users: [String]? = nil) throws -> FeatureTable {
        try pool.writeWithoutTransaction { db in
            var table: FeatureTable?
            try db.inTransaction(.deferred) {
                try db.execute(sql: """
                    insert into build_context (id, as_of) values (1, ?) on conflict (id) do update set as_of = excluded.as_of
                    """, arguments: [asOf])
                // Usually the first index entry answers; min and max (a scan of the whole index,
                // 1.5 s of CPU at 22.5M events) only for the error's message.
                let anyEvent = try Bool.fetchOne(db, sql: "select exists (select 1 from events where occurred_at <= ?)", arguments: [asOf])
                if anyEvent != true, let span = try Row.fetchOne(db, sql: "select min(occurred_at) as first, max(occurred_at) as last from events"),
                   let first: String = span["first"] {
                    throw WarehouseError.noEventsBefore(asOf: asOf, firstEventAt: first, lastEventAt: span["last"] ?? first)
                }
                if let users {
                    try db.execute(sql: "create temporary table assign_users (user_id text primary key) without rowid")
                    let insert = try db.makeStatement(sql: "insert or ignore into assign_users values (?)")
                    for user in users { try insert.execute(arguments: [user]) }
                }
                table = try Self.readFeatures(view: view, db: db, onlyListedUsers: users != nil)
                table?.lastEventId = try Int64.fetchOne(db, sql: "select max(event_id) from events")
                table?.lastBatchId = try Int64.fetchOne(db, sql: "select max(batch_id) from load_batches")
                return .rollback
            }
            return table!
        }
    }

    private static func readFeatures(view: String, db: Database, onlyListedUsers: Bool = false) throws -> FeatureTable {
        guard try db.tableExists(view) || db.viewExists(view) else {
            let available = try String.fetchAll(db, sql: """
                select name from sqlite_master where type = 'view' and name not like 'current%' order by name
                """)
            throw WarehouseError.featureView(name: view, message: "no such view or table (views here: \(available.joined(separator: ", ")))")
        }
        let columns = try db.columns(in: view).map(\.name)
        guard columns.count >= 2 else {
            throw WarehouseError.featureView(name: view, message: "needs a key column and at least one numeric column, has \(columns)")
        }
        let key = columns.contains("user_id") ? "user_id" : columns[0]
        let numeric = columns.filter { $0 != key }
        let select = ([key] + numeric).map(\.quotedDatabaseIdentifier).joined(separator: ", ")
        var ids: [String] = []
        var values: [Double] = []
        var seen = Set<String>()
        let filter = onlyListedUsers ? " where \(key.quotedDatabaseIdentifier) in (select user_id from temp.assign_users)" : ""
        let cursor = try Row.fetchCursor(db, sql: "select \(select) from \(view.quotedDatabaseIdentifier)\(filter)")
        while let row = try cursor.next() {
            guard let id = Self.keyText(row[0] as DatabaseValue) else {
                throw WarehouseError.featureView(name: view, message: "row \(ids.count + 1) has a null key (column \(key))")
            }
            guard seen.insert(id).inserted else {
                throw WarehouseError.featureView(name: view, message: "key column \(key): '\(id)' appears more than once; a feature view has one row per user")
            }
            ids.append(id)
            for (offset, column) in numeric.enumerated() {
                let value: DatabaseValue = row[offset + 1]
                guard let number = Self.number(value) else {
                    throw WarehouseError.featureView(name: view, message: "column \(column) is not numeric for \(key) '\(id)'")
                }
                values.append(number)
            }
        }
        guard !ids.isEmpty || onlyListedUsers else {
            throw WarehouseError.featureView(name: view, message: "has no rows at this as_of (an empty table or view, or no events loaded yet)")
        }
        return FeatureTable(view: view, keyColumn: key, userIds: ids, columnNames: numeric, values: values)
    }

    private static func keyText(_ value: DatabaseValue) -> String? {
        switch value.storage {
        case .null: return nil
        case let .string(text): return text
        case let .int64(number): return String(number)
        case let .double(number): return String(number)
        case .blob: return nil
        }
    }

    private static func number(_ value: DatabaseValue) -> Double? {
        switch value.storage {
        case .null: return .nan
        case let .int64(number): return Double(number)
        case let .double(number): return number
        case let .string(text): return Double(text.trimmingCharacters(in: .whitespaces))
        case .blob: return nil
        }
    }
}
