import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// An exclusive, advisory lock that lets one writer (a `build` or an `assign`) at a time work on a
/// database. It is an `flock(2)` on `<database>.lock` next to the file: the kernel releases it
/// when the process ends, however it ends (SIGKILL included), so a crashed build never leaves a
/// stale lock behind. The lock file itself stays (it is empty and harmless).
public final class BuildLock {
    /// The lock file's path.
    public let path: String
    private let descriptor: Int32

    /// Takes the lock without waiting.
    /// - Returns: nil when another process holds it.
    /// - Throws: ``WarehouseError/cannotOpen(path:reason:)`` when the lock file cannot be created.
    public static func acquire(database: String) throws -> BuildLock? {
        let path = database + ".lock"
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else {
            throw WarehouseError.cannotOpen(path: database, reason: "cannot create the lock file \(path): \(String(cString: strerror(errno)))")
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            return nil
        }
        return BuildLock(path: path, descriptor: fd)
    }

    private init(path: String, descriptor: Int32) {
        self.path = path
        self.descriptor = descriptor
    }

    deinit {
        flock(descriptor, LOCK_UN)
        close(descriptor)
    }
}
