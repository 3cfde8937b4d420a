import Foundation
import GRDB
import ShopsegEngine

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

    /// Reads `view` as it is at `asOf` (UTC ISO-8601), without changing what other readers see
    /// and without writing: on private read-only connections whose temporary schema binds
    /// `asOf` (``AsOfSnapshot``), all in one snapshot of the file. Loads may commit meanwhile
    /// (they are not in the snapshot); several such reads may run at once.
    ///
    /// A bundled feature view (all of them installed unchanged) over at least
    /// ``FeaturePartitions/minimumEvents`` events is read in ``FeaturePartitions/count`` ranges of
    /// user ids at once, one thread and connection each (1M users: `user_features` 21 → 11 s on
    /// two cores); the rows are those of one read, in the same order.
    /// - Throws: as ``readFeatures(view:)``; ``WarehouseError/noEventsBefore(asOf:firstEventAt:lastEventAt:)``
    ///   when no event is at or before `asOf`.
    /// - Parameter users: when given, only these users' rows are read (through a temporary table
    ///   the view's query is filtered by); an empty result is then not an error.
    public func readFeatures(view: String, asOf: String, users: [String]? = nil,
                             partitions: FeaturePartitions = FeaturePartitions()) throws -> FeatureTable {
        let ranges = users == nil ? try pool.read { try partitions.ranges(for: view, in: $0) } : [nil]
        let snapshots = try AsOfSnapshot.open(pool: pool, path: path, asOf: asOf, ranges: ranges)
        let newest = try snapshots[0].read { try Self.checkEvents(before: asOf, db: $0) }
        var table: FeatureTable
        if snapshots.count == 1 {
            table = try snapshots[0].read { db in
                if let users {
                    try db.execute(sql: "create temporary table assign_users (user_id text primary key) without rowid")
                    let insert = try db.makeStatement(sql: "insert or ignore into assign_users values (?)")
                    for user in users { try insert.execute(arguments: [user]) }
                }
                return try Self.readFeatures(view: view, db: db, onlyListedUsers: users != nil)
            }
        } else {
            let parts = snapshots.map { snapshot in
                BackgroundValue(name: "shopseg-features") { Result { try snapshot.read { try Self.readFeatures(view: view, db: $0, allowsEmpty: true) } } }
            }
            table = try FeatureTable(concatenating: parts.map { try $0.value().get() })
            guard !table.userIds.isEmpty else { throw WarehouseError.featureView(name: view, message: Self.noRowsMessage) }
        }
        (table.lastEventId, table.lastBatchId) = newest
        return table
    }

    /// Throws ``WarehouseError/noEventsBefore(asOf:firstEventAt:lastEventAt:)`` when no event is
    /// at or before `asOf`; returns the newest event id and batch id. `main.events`: on a
    /// connection reading a user range, `events` is that range.
    private static func checkEvents(before asOf: String, db: Database) throws -> (eventId: Int64?, batchId: Int64?) {
        // Usually the first index entry answers; min and max (a scan of the whole index, 1.5 s of
        // CPU at 22.5M events) only for the error's message.
        let anyEvent = try Bool.fetchOne(db, sql: "select exists (select 1 from main.events where occurred_at <= ?)", arguments: [asOf])
        if anyEvent != true, let span = try Row.fetchOne(db, sql: "select min(occurred_at) as first, max(occurred_at) as last from main.events"),
           let first: String = span["first"] {
            throw WarehouseError.noEventsBefore(asOf: asOf, firstEventAt: first, lastEventAt: span["last"] ?? first)
        }
        return (try Int64.fetchOne(db, sql: "select max(event_id) from main.events"),
                try Int64.fetchOne(db, sql: "select max(batch_id) from main.load_batches"))
    }

    private static let noRowsMessage = "has no rows at this as_of (an empty table or view, or no events loaded yet)"

    private static func readFeatures(view: String, db: Database, onlyListedUsers: Bool = false,
                                     allowsEmpty: Bool = false) throws -> FeatureTable {
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
        guard !ids.isEmpty || onlyListedUsers || allowsEmpty else {
            throw WarehouseError.featureView(name: view, message: noRowsMessage)
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

extension FeatureTable {
    /// The rows of `parts` (reads of the same view over disjoint user ranges, in range order),
    /// one after the other.
    init(concatenating parts: [FeatureTable]) throws {
        guard let first = parts.first else { throw WarehouseError.featureView(name: "", message: "no part was read") }
        for part in parts where part.columnNames != first.columnNames || part.keyColumn != first.keyColumn {
            throw WarehouseError.featureView(name: first.view, message: "its user ranges were read with different columns")
        }
        self.init(view: first.view, keyColumn: first.keyColumn, userIds: parts.flatMap(\.userIds),
                  columnNames: first.columnNames, values: parts.flatMap(\.values))
    }
}
