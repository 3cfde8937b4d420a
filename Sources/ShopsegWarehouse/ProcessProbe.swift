import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Whether a process id belongs to a running shopseg on this machine (Linux /proc).
public enum ProcessProbe {
    public static func isLiveShopseg(pid: Int) -> Bool {
        guard pid > 0, pid != Int(getpid()), kill(pid_t(pid), 0) == 0 || errno == EPERM else { return false }
        guard let commandLine = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline") else { return false }
        let program = commandLine.split(separator: 0).first.map { String(decoding: $0, as: UTF8.self) } ?? ""
        return program.hasSuffix("shopseg")
    }
}
