import Crypto
import Foundation

/// Hex SHA-256 of a file's bytes, read in 1 MiB chunks (constant memory).
/// Used to recognise a file loaded before, whatever its name.
enum ContentHash {
    static func sha256(of file: URL) throws -> String {
        let handle = try FileHandle(forReadingFrom: file)
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
            hasher.update(data: chunk)
        }
        return hex(hasher.finalize())
    }

    /// Hex SHA-256 of a string's UTF-8 bytes.
    static func sha256(of text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    private static func hex(_ digest: SHA256.Digest) -> String {
        digest.map { String(format: "%02x", $0) }.joined()
    }
}
