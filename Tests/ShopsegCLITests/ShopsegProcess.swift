import Foundation
import XCTest

/// The built `shopseg` binary, run as a real process with `SHOPSEG_DB` pointing into a scratch folder.
struct ShopsegProcess {
    struct Result { let status: Int32; let reason: Process.TerminationReason; let stdout: String; let stderr: String }

    let folder: URL
    var database: URL { folder.appendingPathComponent("cli.db") }

    /// The products folder: the test bundle itself on Linux, its parent where it is an .xctest bundle.
    static var binary: URL {
        let bundle = Bundle(for: CLITests.self).bundleURL
        return (bundle.pathExtension == "xctest" ? bundle.deletingLastPathComponent() : bundle).appendingPathComponent("shopseg")
    }

    /// Starts `shopseg arguments…` without waiting; stdout and stderr go to files in the folder.
    func start(_ arguments: [String], environment extra: [String: String] = [:], name: String = UUID().uuidString) throws -> Process {
        let process = Process()
        process.executableURL = Self.binary
        process.arguments = arguments
        process.currentDirectoryURL = folder
        var environment = ProcessInfo.processInfo.environment
        environment["SHOPSEG_DB"] = database.path
        environment["COLUMNS"] = "80"   // help wraps at the terminal width; pin it
        environment.merge(extra) { $1 }
        process.environment = environment
        process.standardOutput = try FileHandle(forWritingTo: touch("\(name).out"))
        process.standardError = try FileHandle(forWritingTo: touch("\(name).err"))
        try process.run()
        return process
    }

    /// Runs `shopseg arguments…` to the end.
    @discardableResult
    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> Result {
        let name = UUID().uuidString
        let process = try start(arguments, environment: environment, name: name)
        process.waitUntilExit()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      stdout: try String(contentsOf: folder.appendingPathComponent("\(name).out"), encoding: .utf8),
                      stderr: try String(contentsOf: folder.appendingPathComponent("\(name).err"), encoding: .utf8))
    }

    private func touch(_ name: String) -> URL {
        let url = folder.appendingPathComponent(name)
        FileManager.default.createFile(atPath: url.path, contents: nil)
        return url
    }
}
