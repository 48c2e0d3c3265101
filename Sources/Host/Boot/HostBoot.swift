import Logging
import PluginAPI

/// Boots the host: opens the store, builds the enabled plugins, applies migrations, creates keys, prepares plugins.
enum HostBoot {
    /// Names of the host's own secrets, created on first start.
    static let hostSecretNames = ["session-key", "oauth-signing-key", "key-check"]

    /// Boots, runs `body` with the runtime, and closes the store afterwards.
    static func withRuntime<Result: Sendable>(
        _ loaded: LoadedConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
        _ body: (HostRuntime) async throws -> Result
    ) async throws -> Result {
        let host = loaded.host
        return try await StoreOpener.withStore(host.database, dataDirectory: host.dataDirectory, logger: logger) { store in
            if host.database.url == nil { try DataDirectory.create(host.dataDirectory) }
            let (masterKey, generated) = try MasterKey.resolve(
                configured: host.masterKey, usesPostgres: host.database.url != nil, dataDirectory: host.dataDirectory)
            let blocking = ThreadPoolBlockingExecutor()
            var plugins: [LoadedPlugin] = []
            for enabled in loaded.plugins {
                var pluginLogger = logger
                pluginLogger[metadataKey: "plugin.id"] = "\(enabled.registration.id)"
                let context = PluginContext(
                    logger: pluginLogger, store: store,
                    secrets: StoreSecretStore(scope: enabled.registration.id.rawValue, store: store, masterKey: masterKey, clock: clock),
                    clock: clock, blocking: blocking)
                do {
                    plugins.append(try enabled.registration.build(enabled.configuration, context))
                } catch let error as ConfigError {
                    throw error
                } catch {
                    throw PluginError(.internalError, "plugin \(enabled.registration.id) failed to start: \(error)")
                }
            }
            let registry = PluginRegistry(plugins: plugins)
            try await MigrationRunner(store: store, logger: logger).apply(
                [MigrationRunner.Scoped(scope: HostMigrations.scope, migrations: HostMigrations.all)] + registry.migrations)

            let hostSecrets = StoreSecretStore(scope: HostMigrations.scope, store: store, masterKey: masterKey, clock: clock)
            var hostKeys: [String: [UInt8]] = [:]
            for name in hostSecretNames {
                hostKeys[name] = try await hostSecrets.secret(named: name) { randomBytes(32) }
            }
            for plugin in registry.plugins {
                try await plugin.prepare(plugin.context)
            }
            let feed: any ChangeFeed =
                if let url = host.database.url { PostgresChangeFeed(url: url, logger: logger) } else { SQLiteChangeFeed(store: store) }
            let directory = UserDirectory(store: store, clock: clock, feed: feed)
            let runtime = HostRuntime(
                configuration: host, store: store, registry: registry, directory: directory,
                authenticator: Authenticator(
                    providers: registry.authProviders, directory: directory,
                    throttle: LoginThrottle(store: store, clock: clock, settings: host.login),
                    adminPermissions: host.login.adminPermissions),
                clock: clock, secrets: hostSecrets, tokenCodec: TokenCodec(secret: hostKeys["oauth-signing-key"] ?? []),
                changeFeed: feed, grantCache: GrantCache(), changeSignal: ChangeSignal(), logger: logger,
                masterKeyGenerated: generated)
            return try await body(runtime)
        }
    }
}

/// `count` bytes from the system's CSPRNG.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 7)
    while bytes.count < count {  // eight bytes per draw: one getrandom call, not one per byte
        withUnsafeBytes(of: generator.next() as UInt64) { bytes += $0 }
    }
    return Array(bytes.prefix(count))
}
