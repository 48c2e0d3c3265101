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
            overrides: .init(listen: listen, dataDirectory: dataDir), registrations: BuiltInPlugins.all)
    }

    /// Loads the configuration, sets up logging, boots the host and runs `body`.
    func withRuntime<Result: Sendable>(
        listen: String? = nil, _ body: (HostRuntime) async throws -> Result
    ) async throws -> Result {
        let loaded = try load(listen: listen)
        let logger = LoggingSetup.bootstrap(level: loaded.host.logLevel, format: loaded.host.logFormat)
        return try await HostBoot.withRuntime(loaded, logger: logger, body)
    }
}
