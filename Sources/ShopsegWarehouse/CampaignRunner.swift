import Foundation
import GRDB

/// What one campaign reached in a run: the row of `campaigns` plus how the audience was split.
/// Identity: `audience = alreadyOnChannel + overCap + assigned` and `assigned = treated + holdout`.
public struct CampaignSummary: Sendable, Equatable {
    public let campaignId: String
    public let name: String
    public let channel: String
    public let offer: String
    public let priority: Int
    public let holdoutPct: Double
    public let maxUsers: Int?
    public let file: String
    /// Distinct non-null `user_id`s the SELECT returned.
    public let audience: Int
    /// Audience users whose slot on this channel a campaign of higher priority had taken.
    public let alreadyOnChannel: Int
    /// Audience users left out by `max_users`.
    public let overCap: Int
    /// Users written to `campaign_assignments`: treated and holdout.
    public let assigned: Int
    /// Assigned users who get the offer (`is_holdout = 0`).
    public let treated: Int
    /// Assigned users kept as the control group (`is_holdout = 1`).
    public let holdout: Int
    /// User ids the SELECT returned that are neither in the run nor in `users`; dropped, not counted in `audience`.
    public var unknownUsers: Int = 0
}

/// Evaluates the campaign files of a run and writes `campaigns` and `campaign_assignments`.
///
/// Call ``evaluate(in:runId:files:)`` inside the publishing transaction, after the run's rows are
/// written and the published pointer has moved, so the campaign SELECTs read the new run through
/// the `current_*` views (and `build_context.as_of` is the run's):
///
/// ```swift
/// let campaigns = try CampaignFile.loadAll(from: warehouse.sql)   // before the build: bad files fail fast
/// try warehouse.checkCampaigns(campaigns)                        // SELECTs compile against the schema
/// // … in the publishing transaction, after moving published_run:
/// let summaries = try CampaignRunner.evaluate(in: db, runId: runId, files: campaigns)
/// ```
///
/// Rules, in order:
/// 1. **Order.** Campaigns run by ascending `priority`, then `id`.
/// 2. **Read-only.** Each file is exactly one statement, refused unless SQLite reports it
///    read-only (`sqlite3_stmt_readonly`), it returns rows and one of its columns is `user_id`.
///    A statement that does not start with SELECT, WITH or VALUES is refused before SQLite
///    compiles it (SQLite applies some pragmas while compiling them). GRDB owns SQLite's
///    authorizer on its connections, so this check replaces one. Campaign SELECTs do not see each
///    other's assignments: every row is written after the last SELECT.
/// 3. **Audience.** The distinct non-null `user_id`s returned (integers are read as their text).
/// 4. **Exclusivity.** A user gets at most one campaign per channel: audience users already
///    assigned on the channel by an earlier campaign (treated or holdout) are skipped.
/// 5. **max_users.** The remaining users are ranked by the second 8 bytes of their
///    ``Holdout`` digest (then `user_id`) and the first `max_users` are assigned; the others stay
///    free for later campaigns on the channel.
/// 6. **Holdout.** Each assigned user is held out (`is_holdout = 1`) when the first 8 bytes of
///    the digest, as a fraction of 2^64, are below `holdout_pct`%. Held-out users keep the
///    channel slot, so the control group is the same night after night.
public enum CampaignRunner {
    /// Compiles every campaign's SELECT against `db`'s schema without running it: the checks of
    /// ``evaluate(in:runId:files:)`` that need no data (one statement, read-only, a `user_id`
    /// column), and distinct ids.
    /// - Throws: ``WarehouseError/campaign(file:line:message:)`` naming the first bad file.
    public static func compile(in db: Database, files: [CampaignFile]) throws {
        try CampaignFile.checkDistinctIds(files)
        for file in files { _ = try prepare(file, in: db) }
    }

    /// Evaluates `files` for the published run `runId` and writes its `campaigns` and
    /// `campaign_assignments` rows (replacing any the run had), in a savepoint.
    /// - Parameters:
    ///   - db: a connection inside the publishing transaction.
    ///   - runId: the run the published pointer points to.
    ///   - files: the campaigns, in any order (see ``CampaignFile/loadAll(from:)``).
    /// - Returns: one summary per campaign, in evaluation order.
    /// - Throws: ``WarehouseError/campaign(file:line:message:)`` naming the file for a SELECT that
    ///   fails to compile (with SQLite's message), writes, holds several statements, has no
    ///   `user_id` column, fails while running or returns real or blob user ids, and for a duplicate
    ///   id; ``WarehouseError/run(message:)`` when `runId` is not the published run. Nothing is
    ///   written then; the caller rolls the publish back.
    public static func evaluate(in db: Database, runId: Int64, files: [CampaignFile]) throws -> [CampaignSummary] {
        try CampaignFile.checkDistinctIds(files)
        let published = try Int64.fetchOne(db, sql: "select run_id from published_run")
        guard published == runId else {
            throw WarehouseError.run(message: "campaigns are evaluated for the published run after the pointer moves; "
                                     + "run \(runId) is not it (published: \(published.map(String.init) ?? "none"))")
        }
        let ordered = files.sorted { ($0.priority, $0.id) < ($1.priority, $1.id) }

        // Every SELECT first, so no campaign reads another's assignments.
        var audiences: [Set<String>] = []
        var unknown: [Int] = []
        // Only users the warehouse knows (in the run, or loaded into `users`) can be assigned: an id
        // the SELECT made up (a cast that lost leading zeros, a literal) is dropped and counted.
        let known = Set(try String.fetchAll(db, sql: """
            select user_id from user_segments where run_id = ? union select user_id from users
            """, arguments: [runId]))
        for file in ordered {
            let selected = try audience(of: file, in: db)
            let kept = selected.intersection(known)
            audiences.append(kept)
            unknown.append(selected.count - kept.count)
        }

        var taken: [String: Set<String>] = [:]   // channel → users assigned on it
        var summaries: [CampaignSummary] = []
        var rows: [(campaign: Int, userId: String, isHoldout: Bool)] = []   // campaign: index in `ordered`
        for (index, (file, audience)) in zip(ordered, audiences).enumerated() {
            let onChannel = taken[file.channel, default: []]
            var ranked = audience.subtracting(onChannel).map { user in
                let keys = Holdout.keys(campaignId: file.id, userId: user)
                return (user: user, holdoutKey: keys.holdout, rank: keys.rank)
            }
            ranked.sort { ($0.rank, $0.user) < ($1.rank, $1.user) }
            let free = ranked.count
            if let cap = file.maxUsers, ranked.count > cap { ranked.removeLast(ranked.count - cap) }
            var holdout = 0
            for entry in ranked {
                let isHoldout = Holdout.isHoldout(key: entry.holdoutKey, holdoutPct: file.holdoutPct)
                if isHoldout { holdout += 1 }
                rows.append((index, entry.user, isHoldout))
            }
            taken[file.channel, default: []].formUnion(ranked.lazy.map(\.user))
            summaries.append(CampaignSummary(
                campaignId: file.id, name: file.name, channel: file.channel, offer: file.offer, priority: file.priority,
                holdoutPct: file.holdoutPct, maxUsers: file.maxUsers, file: file.file,
                audience: audience.count, alreadyOnChannel: audience.count - free, overCap: free - ranked.count,
                assigned: ranked.count, treated: ranked.count - holdout, holdout: holdout, unknownUsers: unknown[index]))
        }

        try db.inSavepoint {
            try db.execute(sql: "delete from campaign_assignments where run_id = ?", arguments: [runId])
            try db.execute(sql: "delete from campaigns where run_id = ?", arguments: [runId])
            let campaign = try db.makeStatement(sql: """
                insert into campaigns (run_id, campaign_id, name, channel, offer, priority, holdout_pct, max_users,
                                       file, sql_sha256, audience, assigned)
                values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for (file, summary) in zip(ordered, summaries) {
                try campaign.execute(arguments: [runId, file.id, file.name, file.channel, file.offer, file.priority,
                                                 file.holdoutPct, file.maxUsers, file.file, file.sha256,
                                                 summary.audience, summary.assigned])
            }
            let assignment = try db.makeStatement(sql: """
                insert into campaign_assignments (run_id, user_id, campaign_id, channel, offer, is_holdout, priority)
                values (?, ?, ?, ?, ?, ?, ?)
                """)
            for row in rows {
                let file = ordered[row.campaign]
                try assignment.execute(arguments: [runId, row.userId, file.id, file.channel, file.offer,
                                                   row.isHoldout ? 1 : 0, file.priority])
            }
            return .commit
        }
        return summaries
    }

    /// The distinct non-null user ids `file`'s SELECT returns.
    static func audience(of file: CampaignFile, in db: Database) throws -> Set<String> {
        let (statement, column) = try prepare(file, in: db)
        var users = Set<String>()
        do {
            let cursor = try Row.fetchCursor(statement)
            while let row = try cursor.next() {
                let value: DatabaseValue = row[column]
                switch value.storage {
                case .string(let text): users.insert(text)
                case .int64(let number): users.insert(String(number))
                case .null: continue
                case .double, .blob:
                    throw WarehouseError.campaign(file: file.file, line: file.sqlLine, message:
                        "user_id must be text or an integer, and a row returned a real number or a blob (cast it to text)")
                }
            }
        } catch let error as DatabaseError {
            throw WarehouseError.campaign(file: file.file, line: file.sqlLine, message: error.message ?? "\(error)")
        }
        return users
    }

    /// Compiles `file`'s SQL: exactly one read-only statement with a `user_id` column.
    ///
    /// SQLite applies some pragmas (`query_only`, `ignore_check_constraints`, …) while compiling
    /// them, so the text is read first: a statement starting with any statement keyword but
    /// SELECT, WITH and VALUES is refused without being compiled, and so is a second statement.
    /// (A text starting with another word is compiled, for SQLite's syntax error.)
    /// - Returns: the statement and the index of its (first) `user_id` column.
    /// First words of SQLite statements other than SELECT, WITH and VALUES.
    static let otherStatementKeywords: Set<String> = [
        "alter", "analyze", "attach", "begin", "commit", "create", "delete", "detach", "drop", "end", "explain",
        "insert", "pragma", "reindex", "release", "replace", "rollback", "savepoint", "update", "vacuum",
    ]

    static func prepare(_ file: CampaignFile, in db: Database) throws -> (Statement, userIdColumn: Int) {
        func fail(_ message: String) -> WarehouseError { .campaign(file: file.file, line: file.sqlLine, message: message) }
        let shape = StatementShape(file.sql)
        guard let keyword = shape.firstWord else { throw fail("no SQL statement after the header; a campaign is one SELECT") }
        guard !Self.otherStatementKeywords.contains(keyword) else {
            throw fail("the statement (\(keyword.uppercased()) …) is not a SELECT and was refused without being compiled: "
                       + "a campaign is one read-only SELECT")
        }
        guard !shape.hasSecondStatement else { throw fail("more than one SQL statement; a campaign is exactly one SELECT") }
        let statement: Statement
        do {
            statement = try db.makeStatement(sql: file.sql)
        } catch let error as DatabaseError {
            throw fail(error.message ?? "\(error)")
        }
        guard statement.isReadonly else {
            throw fail("the statement writes to the database and was refused: a campaign is one read-only SELECT")
        }
        guard statement.columnCount > 0 else {
            throw fail("the statement returns no columns and was refused: a campaign is one read-only SELECT")
        }
        guard let column = statement.columnNames.firstIndex(where: { $0.lowercased() == "user_id" }) else {
            throw fail("the SELECT returns no user_id column (its columns: \(statement.columnNames.joined(separator: ", ")))")
        }
        return (statement, column)
    }
}

/// The first word of a SQL text and whether anything but comments, blanks and semicolons follows
/// its first statement, read the way SQLite's tokenizer reads `--` and `/* */` comments, `'…'`
/// strings and `"…"`, `` `…` `` and `[…]` names.
struct StatementShape: Equatable {
    /// The statement's first word, lower-cased (or its first other character); nil for a text of
    /// comments and blanks.
    var firstWord: String?
    /// Something other than comments, blanks and semicolons follows the first `;`.
    var hasSecondStatement = false

    init(_ sql: String) {
        let bytes = Array(sql.utf8)
        var index = 0, endedFirst = false
        func isBlank(_ byte: UInt8) -> Bool { byte == 0x20 || (0x09...0x0D).contains(byte) }
        func isWordByte(_ byte: UInt8) -> Bool {
            (0x61...0x7A).contains(byte) || (0x41...0x5A).contains(byte) || (0x30...0x39).contains(byte) || byte == 0x5F || byte >= 0x80
        }
        /// Skips a quoted token starting at `index` that ends at `close` (a doubled `close` continues it).
        func skipQuoted(close: UInt8) {
            index += 1
            while index < bytes.count {
                if bytes[index] == close {
                    if close != UInt8(ascii: "]"), index + 1 < bytes.count, bytes[index + 1] == close { index += 2; continue }
                    index += 1
                    return
                }
                index += 1
            }
        }
        while index < bytes.count {
            let byte = bytes[index]
            let next = index + 1 < bytes.count ? bytes[index + 1] : 0
            if isBlank(byte) { index += 1; continue }
            if byte == UInt8(ascii: "-"), next == UInt8(ascii: "-") {
                while index < bytes.count, bytes[index] != 0x0A { index += 1 }
                continue
            }
            if byte == UInt8(ascii: "/"), next == UInt8(ascii: "*") {
                index += 2
                while index < bytes.count, !(bytes[index] == UInt8(ascii: "*") && index + 1 < bytes.count && bytes[index + 1] == UInt8(ascii: "/")) { index += 1 }
                index += 2
                continue
            }
            if byte == UInt8(ascii: ";") { if firstWord != nil { endedFirst = true }; index += 1; continue }
            if endedFirst { hasSecondStatement = true; return }
            if firstWord == nil {
                if isWordByte(byte) {
                    let start = index
                    while index < bytes.count, isWordByte(bytes[index]) { index += 1 }
                    firstWord = String(decoding: bytes[start..<index], as: UTF8.self).lowercased()
                } else {
                    firstWord = String(decoding: [byte], as: UTF8.self)
                    index += 1
                }
                continue
            }
            switch byte {
            case UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "`"): skipQuoted(close: byte)
            case UInt8(ascii: "["): skipQuoted(close: UInt8(ascii: "]"))
            default: index += 1
            }
        }
    }
}

extension Warehouse {
    /// Compiles the campaigns' SELECTs against this database's schema (see
    /// ``CampaignRunner/compile(in:files:)``); call before a long build so a bad file fails it at once.
    public func checkCampaigns(_ files: [CampaignFile]) throws {
        try pool.read { try CampaignRunner.compile(in: $0, files: files) }
    }

    /// Evaluates `files` for the published run `runId` in a transaction of its own (re-evaluating
    /// a run replaces its campaign rows). `build` evaluates them inside its publishing transaction
    /// instead, with ``CampaignRunner/evaluate(in:runId:files:)``.
    public func evaluateCampaigns(runId: Int64, files: [CampaignFile]) throws -> [CampaignSummary] {
        try pool.write { try CampaignRunner.evaluate(in: $0, runId: runId, files: files) }
    }
}
