import Foundation
import XCTest

/// Reads the scikit-learn/scipy reference fixtures in `Tests/Fixtures/engine/`,
/// written by the generators in `Tests/FixtureGenerators/` (run by hand; CI reads
/// only the committed JSON).
enum EngineFixtures {
    /// `Tests/Fixtures/engine`, found from this source file (symlinks resolved, so
    /// development packages that link the test folder find the same files).
    static var directory: URL {
        URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent()          // ShopsegEngineTests
            .deletingLastPathComponent()          // Tests
            .appendingPathComponent("Fixtures/engine", isDirectory: true)
    }

    /// Decodes `Tests/Fixtures/engine/<name>.json` as `T` (keys are snake_case in the files).
    static func load<T: Decodable>(_ name: String, as type: T.Type = T.self) throws -> T {
        let url = directory.appendingPathComponent("\(name).json")
        let data = try Data(contentsOf: url)
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(T.self, from: data)
    }
}
