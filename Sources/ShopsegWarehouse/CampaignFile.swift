import Crypto
import Foundation

/// One campaign: a `queries/campaigns/*.sql` file holding a header of settings in leading
/// `--` comments and exactly one SELECT that returns a `user_id` column.
///
/// ```sql
/// -- Win-back coupon for customers who are slipping away.
/// -- id: winback_coupon
/// -- name: Win-back coupon
/// -- channel: email
/// -- offer: 15% off the next order, valid 14 days
/// -- priority: 20
/// -- holdout_pct: 10
/// -- max_users: 5000
///
/// select user_id from current_user_rfm_scores where rfm_segment in ('At Risk', 'Can''t Lose Them')
/// ```
///
/// The header is every line before the first one that is neither blank nor a `--` comment. In
/// it, a comment of the form `-- key: value` with a lower-case key (letters, digits, `_`) is a
/// setting; any other comment line is free text (who the campaign targets and why), kept in
/// ``notes``. Settings:
///
/// | key | required | value |
/// | --- | --- | --- |
/// | `id` | yes | lower-case identifier (`[a-z][a-z0-9_]*`), unique across the folder |
/// | `name` | yes | text |
/// | `channel` | yes | lower-case identifier: `email`, `push`, `ads`, `sms`, … |
/// | `offer` | yes | text |
/// | `priority` | yes | integer; lower runs first |
/// | `holdout_pct` | yes | number from 0 to 100 |
/// | `max_users` | no | integer ≥ 1 |
///
/// Parsing checks the header only; the SELECT is checked against a database by
/// ``CampaignRunner/compile(in:files:)`` and ``CampaignRunner/evaluate(in:runId:files:)``.
///
/// ## Topics
/// - ``init(parsing:file:)``
/// - ``loadAll(from:)``
public struct CampaignFile: Sendable, Equatable {
    /// The path (or name) the file was read from, as named in errors and in `campaigns.file`.
    public let file: String
    /// `id`: the campaign's key in `campaigns` and `campaign_assignments`, and part of its holdout hash.
    public let id: String
    /// `name`: a human-readable title.
    public let name: String
    /// `channel`: a user gets at most one campaign per channel and run.
    public let channel: String
    /// `offer`: what the user is offered, copied to every assignment.
    public let offer: String
    /// `priority`: campaigns are evaluated by ascending priority, then id.
    public let priority: Int
    /// `holdout_pct`: the share (0–100) of assigned users kept as a control group.
    public let holdoutPct: Double
    /// `max_users`: at most this many users are assigned (treated and holdout together); nil = no cap.
    public let maxUsers: Int?
    /// The header's free comment lines (who the campaign targets and why), `--` removed; runs of
    /// blank lines kept as one.
    public let notes: String
    /// The SQL after the header: one SELECT returning `user_id`.
    public let sql: String
    /// 1-based line of the file where ``sql`` starts.
    public let sqlLine: Int
    /// Hex SHA-256 of the whole file's UTF-8 bytes.
    public let sha256: String
    /// 1-based line of the `id` setting (for the duplicate-id message).
    let idLine: Int

    /// The settings a header may hold, in the order they are documented.
    public static let settingKeys = ["id", "name", "channel", "offer", "priority", "holdout_pct", "max_users"]
    static let requiredKeys = ["id", "name", "channel", "offer", "priority", "holdout_pct"]

    /// Parses a campaign file's text.
    /// - Parameters:
    ///   - text: the file's content.
    ///   - file: the path or name used in error messages and stored in `campaigns.file`.
    /// - Throws: ``WarehouseError/campaign(file:line:message:)`` naming the line of a missing,
    ///   unknown, duplicate, empty or invalid setting, or a file with no SQL after its header.
    public init(parsing text: String, file: String) throws {
        self.file = file
        sha256 = SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)

        var settings: [String: (value: String, line: Int)] = [:]
        var notes: [String] = []
        var bodyStart: Int? = nil
        for (index, raw) in lines.enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { notes.append(""); continue }
            guard line.hasPrefix("--") else { bodyStart = index; break }
            let comment = line.dropFirst(2).trimmingCharacters(in: .whitespaces)
            guard let (key, value) = Self.setting(comment) else { notes.append(comment); continue }
            let number = index + 1
            guard Self.settingKeys.contains(key) else {
                throw WarehouseError.campaign(file: file, line: number, message:
                    "unknown setting '\(key)' (settings: \(Self.settingKeys.joined(separator: ", ")); "
                    + "free comment lines must not start with a lower-case word and a colon)")
            }
            if let first = settings[key] {
                throw WarehouseError.campaign(file: file, line: number, message: "setting '\(key)' given twice (first on line \(first.line))")
            }
            guard !value.isEmpty else {
                throw WarehouseError.campaign(file: file, line: number, message: "setting '\(key)' is empty")
            }
            settings[key] = (value, number)
        }
        for key in Self.requiredKeys where settings[key] == nil {
            throw WarehouseError.campaign(file: file, line: nil, message:
                "missing setting '\(key)' (a header sets \(Self.requiredKeys.joined(separator: ", ")), and optionally max_users, "
                + "as `-- key: value` comment lines before the SELECT)")
        }
        guard let bodyStart else {
            throw WarehouseError.campaign(file: file, line: lines.count, message: "no SELECT after the header")
        }

        func fail(_ key: String, _ message: String) -> WarehouseError {
            .campaign(file: file, line: settings[key]!.line, message: message)
        }
        let id = settings["id"]!.value, channel = settings["channel"]!.value
        guard Self.isIdentifier(id) else {
            throw fail("id", "id '\(id)' must be a lower-case identifier (a letter, then letters, digits or _)")
        }
        guard Self.isIdentifier(channel) else {
            throw fail("channel", "channel '\(channel)' must be a lower-case identifier such as email, push, ads or sms")
        }
        let priorityText = settings["priority"]!.value
        guard let priority = Int(priorityText) else {
            throw fail("priority", "priority '\(priorityText)' is not an integer")
        }
        let holdoutText = settings["holdout_pct"]!.value
        guard let holdoutPct = Double(holdoutText), holdoutPct.isFinite, holdoutText.allSatisfy({ "0123456789.+-".contains($0) }) else {
            throw fail("holdout_pct", "holdout_pct '\(holdoutText)' is not a number (a percentage from 0 to 100, e.g. 10 or 2.5)")
        }
        guard (0...100).contains(holdoutPct) else {
            throw fail("holdout_pct", "holdout_pct \(holdoutText) is outside 0–100")
        }
        var maxUsers: Int? = nil
        if let text = settings["max_users"]?.value {
            guard let value = Int(text), value >= 1 else {
                throw fail("max_users", "max_users '\(text)' is not an integer ≥ 1")
            }
            maxUsers = value
        }

        self.id = id
        self.idLine = settings["id"]!.line
        self.name = settings["name"]!.value
        self.channel = channel
        self.offer = settings["offer"]!.value
        self.priority = priority
        self.holdoutPct = holdoutPct
        self.maxUsers = maxUsers
        self.notes = Self.trimmingBlankLines(notes).joined(separator: "\n")
        self.sql = lines[bodyStart...].joined(separator: "\n")
        self.sqlLine = bodyStart + 1
    }

    /// Reads and parses every `.sql` file in `sql.campaignsURL`, in file-name order; no folder
    /// means no campaigns. Call before a build starts so a bad file fails it at once.
    /// - Throws: ``WarehouseError/campaign(file:line:message:)`` for the first unreadable or
    ///   malformed file, or a campaign id used twice; ``WarehouseError/sqlDirectory(path:message:)``
    ///   when the folder cannot be listed.
    public static func loadAll(from sql: SQLDirectory) throws -> [CampaignFile] {
        let folder = sql.campaignsURL
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder), isFolder.boolValue else { return [] }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw WarehouseError.sqlDirectory(path: folder.path, message: "cannot list campaigns: \(error.localizedDescription)")
        }
        let files = try names.filter { $0.hasSuffix(".sql") }.sorted().map { name -> CampaignFile in
            let url = folder.appendingPathComponent(name)
            let text: String
            do {
                text = try String(contentsOf: url, encoding: .utf8)
            } catch {
                throw WarehouseError.campaign(file: url.path, line: nil, message: "cannot read the file as UTF-8 text: \(error.localizedDescription)")
            }
            return try CampaignFile(parsing: text, file: url.path)
        }
        try checkDistinctIds(files)
        return files
    }

    /// Throws when two files share a campaign id, naming both.
    static func checkDistinctIds(_ files: [CampaignFile]) throws {
        var seen: [String: CampaignFile] = [:]
        for file in files {
            if let first = seen[file.id] {
                throw WarehouseError.campaign(file: file.file, line: file.idLine, message:
                    "campaign id '\(file.id)' is already used by \(first.file)")
            }
            seen[file.id] = file
        }
    }

    /// `key: value` when `comment` is a setting: a lower-case key, a colon, then a space or the end.
    static func setting(_ comment: String) -> (key: String, value: String)? {
        guard let colon = comment.firstIndex(of: ":") else { return nil }
        let key = String(comment[..<colon]).trimmingCharacters(in: .whitespaces)
        let rest = comment[comment.index(after: colon)...]
        guard isIdentifier(key), rest.isEmpty || rest.first!.isWhitespace else { return nil }
        return (key, rest.trimmingCharacters(in: .whitespaces))
    }

    /// `[a-z][a-z0-9_]*`
    static func isIdentifier(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" }
    }

    /// Without leading and trailing blank lines, and runs of blank lines as one.
    private static func trimmingBlankLines(_ lines: [String]) -> [String] {
        var kept: [String] = []
        for line in lines where !(line.isEmpty && (kept.last?.isEmpty ?? true)) { kept.append(line) }
        if kept.last?.isEmpty == true { kept.removeLast() }
        return kept
    }
}
