import ArgumentParser
import Foundation

@main
struct Shopseg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "shopseg",
        abstract: "Turn e-commerce behaviour logs into customer segments in a SQLite warehouse.",
        discussion: """
            Typical night: `shopseg load events FILE --mapping MAP.yaml`, then `shopseg build`.
            Every command takes --db (or SHOPSEG_DB; default ./shopseg.db). Exit codes are listed in README.
            """,
        version: "0.1.0",
        subcommands: [Init.self, Load.self, Generate.self, Build.self, Assign.self, Status.self, Vacuum.self])

    /// ArgumentParser's own entry point, plus: with `--json`, a usage error still prints one JSON
    /// object on stdout (errors inside a command do this in `reportingErrors`).
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error).rawValue
            // Help and --version (code 0), and errors a command already reported (ExitCode), go
            // through ArgumentParser as usual; a usage error is logged like every other line.
            guard code != 0, !(error is ExitCode) else { exit(withError: error) }
            if CommandLine.arguments.contains("--json"),
               let object = try? JSONOutput.encode(ErrorSummary(error: message(for: error), exitCode: code)) {
                print(object)
            }
            printError(fullMessage(for: error))
            Foundation.exit(code)
        }
    }
}
