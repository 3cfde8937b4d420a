import Foundation

/// A progress line on stderr for long work: shown only after the first second, redrawn in
/// place on a terminal, printed every ten seconds otherwise (logs stay readable).
final class ProgressLine {
    private let label: String
    private let started = Date()
    private var lastPrinted: Date?
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(label: String) { self.label = label }

    func update(fraction: Double, detail: String) {
        let now = Date()
        guard now.timeIntervalSince(started) >= 1 else { return }
        if !isTerminal, let lastPrinted, now.timeIntervalSince(lastPrinted) < 10 { return }
        lastPrinted = now
        let text = "\(label): \(Format.percent(fraction)), \(detail)"
        FileHandle.standardError.write(Data((isTerminal ? "\r\u{1B}[K" + text : logTimestamp() + " " + text + "\n").utf8))
    }

    /// Clears the in-place line, if one was drawn.
    func finish() {
        if isTerminal && lastPrinted != nil { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
