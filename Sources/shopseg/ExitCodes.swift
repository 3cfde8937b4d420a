import ArgumentParser
import Foundation
import ShopsegEngine
import ShopsegIngest
import ShopsegPipeline
import ShopsegWarehouse

/// Exit codes (documented in README). ArgumentParser itself exits 64 on bad usage.
enum ShopsegExit {
    static let failure: Int32 = 1          // unexpected (database error, I/O)
    static let alreadyLoaded: Int32 = 3    // same content loaded before; nothing done
    static let usage: Int32 = 64           // bad arguments
    static let dataError: Int32 = 65       // reject rate exceeded, empty file, unusable features, too few users
    static let noInput: Int32 = 66         // input file or database missing, unreadable or not SQLite
    static let busy: Int32 = 75            // another build or assign is running, or another writer held the file too long (EX_TEMPFAIL: retry later)
    static let config: Int32 = 78          // bad mapping file, SQL folder or campaign file
    static let qualityGate: Int32 = 79     // a quality gate refused to publish; the previous run stays current

    static func code(for error: Error) -> Int32 {
        switch error {
        case let error as WarehouseError:
            switch error {
            case .alreadyLoaded: return alreadyLoaded
            case .rejectRateExceeded, .emptyFile, .featureView, .noEvents, .noEventsBefore: return dataError
            case .changedWhileLoading: return busy
            case .cannotOpen: return noInput
            case .badAsOf: return usage
            case .sqlDirectory, .sqlFile, .campaign: return config
            case .run: return failure
            }
        case let error as IngestError:
            if case .missingHeader = error { return dataError }   // an empty file
            return error.isMissingInput ? noInput : config
        case let error as PipelineError:
            switch error {
            case .busy: return busy
            case .qualityGate: return qualityGate
            case .nothingPublished: return noInput
            case .notBuilt, .warehouseHasEvents: return usage
            case .tooFewUsers, .tooFewUsersForRange, .modelMismatch: return dataError
            }
        case is EngineError:
            return dataError
        default:
            return isDatabaseLocked(error) ? busy : failure
        }
    }

    /// The text after `error: `: SQLite's "database is locked" says what it means here.
    static func message(for error: Error) -> String {
        guard isDatabaseLocked(error) else { return "\(error)" }
        return "another connection kept the database locked for more than \(Int(Warehouse.busyTimeoutSeconds)) s "
            + "(a load, a build publishing, a first load or index build); nothing was changed — retry later (\(error))"
    }
}

/// Runs `body`; on failure prints `error: …` on stderr — and, with `json`, `{"error": …, "exit_code": …}`
/// on stdout so a scheduler parsing stdout always gets an object — and exits with the documented code.
func reportingErrors<T>(json: Bool = false, _ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let exit as ExitCode {
        throw exit
    } catch {
        let code = ShopsegExit.code(for: error), message = ShopsegExit.message(for: error)
        printError("error: \(message)")
        if json, let object = try? JSONOutput.encode(ErrorSummary(error: message, exitCode: code)) { print(object) }
        throw ExitCode(code)
    }
}

/// What `--json` prints on stdout when a command fails.
struct ErrorSummary: Encodable {
    let error: String
    let exitCode: Int32
}

/// Writes one log line on stderr, prefixed with the UTC time (scheduler logs stay readable).
func printError(_ text: String) {
    FileHandle.standardError.write(Data((logTimestamp() + " " + text + "\n").utf8))
}

/// `2026-11-29T18:30:01Z`
func logTimestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date())
}

extension IngestError {
    /// The input file itself is missing or unreadable (exit 66), as opposed to a bad mapping (78).
    var isMissingInput: Bool {
        switch self {
        case .fileNotFound, .unreadable: return true
        default: return false
        }
    }
}
