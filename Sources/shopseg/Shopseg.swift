import ArgumentParser

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
        subcommands: [Init.self, Load.self, Build.self, Status.self])
}
