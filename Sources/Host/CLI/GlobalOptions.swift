import ArgumentParser
import Foundation
import Logging
import PluginAPI

/// Options every command that touches the store takes.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "The YAML configuration file. Without it Portolan runs on its defaults (SQLite).")
    var config: String?

    @Option(name: .long, help: "The data folder (SQLite database, generated keys). Default: ./portolan-data")
    var dataDir: String?

    /// Loads and validates the configuration with the built-in plugins.
    func load(listen: String? = nil) throws -> LoadedConfiguration {
        try LoadedConfiguration.load(
            path: config, environment: ProcessInfo.processInfo.environment,
            overrides: .init(listen: listen, dataDirectory: dataDir), registrations: PluginCatalog.all)
    }

    /// Loads the configuration, sets up logging, boots the host and runs `body`.
    /// - Parameter quiet: log warnings and worse only (one-shot commands), unless the file asks for less.
    func withRuntime<Result: Sendable>(
        listen: String? = nil, quiet: Bool = true, _ body: (HostRuntime) async throws -> Result
    ) async throws -> Result {
        let loaded = try load(listen: listen)
        let level = quiet ? max(loaded.host.logLevel, .warning) : loaded.host.logLevel
        let logger = LoggingSetup.bootstrap(level: level, format: loaded.host.logFormat)
        return try await HostBoot.withRuntime(loaded, logger: logger, body)
    }
}
