import Foundation

/// Points at which the crash-safety tests make a build kill itself with SIGKILL
/// (`SHOPSEG_TEST_KILL_AT=<point>`) or hold still so another process can be tried against a
/// running build (`SHOPSEG_TEST_HOLD_AT=<point>`: until the file `SHOPSEG_TEST_RELEASE_FILE`
/// exists, two minutes at most). All are unset in normal use.
/// A real process dying there (power loss, OOM killer, `kill -9`) is exactly what is simulated.
public enum CrashPoint: String, CaseIterable, Sendable {
    /// Right after the feature view was read.
    case afterReadingFeatures = "after-reading-features"
    /// Inside the publishing transaction, every label row written, nothing committed.
    case whileWritingLabels = "while-writing-labels"
    /// Everything computed, just before the publishing transaction starts.
    case beforePublishing = "before-publishing"

    /// Kills this process, or holds it, if the environment asks for it at this point.
    func reached() {
        let environment = ProcessInfo.processInfo.environment
        if environment["SHOPSEG_TEST_KILL_AT"] == rawValue { kill(getpid(), SIGKILL) }
        if environment["SHOPSEG_TEST_HOLD_AT"] == rawValue {
            let release = environment["SHOPSEG_TEST_RELEASE_FILE"]
            let deadline = Date().addingTimeInterval(120)
            while Date() < deadline, !(release.map { FileManager.default.fileExists(atPath: $0) } ?? false) { usleep(20_000) }
        }
    }
}
