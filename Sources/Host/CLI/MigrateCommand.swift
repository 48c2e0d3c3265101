import ArgumentParser
import PluginAPI

/// `portolan migrate`: applies pending migrations and exits.
struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate", abstract: "Apply pending schema migrations (serve does this too) and exit.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        try await CommandFailure.reporting {
            try await options.withRuntime { runtime in
                let rows = try await runtime.store.query(
                    "SELECT scope, version, name FROM schema_migrations ORDER BY scope, version")
                for row in rows {
                    Console.out("\(try row.string("scope"))\t\(try row.int("version"))\t\(try row.string("name"))")
                }
                Console.out("The schema is up to date (\(rows.count) migrations).")
            }
        }
    }
}
