import ArgumentParser
import Foundation
import PluginAPI

/// `portolan config check FILE`: validates a configuration file without starting anything.
struct ConfigCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config", abstract: "Work with configuration files.", subcommands: [Check.self])

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "check",
            abstract: "Validate a configuration file (keys, types, CIDRs, URLs) without connecting to anything.")

        @Argument(help: "The YAML configuration file.")
        var file: String

        func run() async throws {
            try await CommandFailure.reporting {
                let loaded = try LoadedConfiguration.load(
                    path: file, environment: ProcessInfo.processInfo.environment, overrides: .init(),
                    registrations: PluginCatalog.all)
                let store = loaded.host.database.url.map { "PostgreSQL \($0)" } ?? "SQLite in \(loaded.host.dataDirectory)"
                Console.out("\(file): OK (store: \(store); plugins: \(loaded.plugins.map(\.registration.id.rawValue).joined(separator: ", ")))")
            }
        }
    }
}
