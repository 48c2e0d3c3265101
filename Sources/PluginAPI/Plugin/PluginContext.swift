public import Logging

/// What the host gives a plugin: its logger, the shared store, its secrets and a clock.
///
/// Passed explicitly to ``Plugin/init(configuration:context:)`` and ``Plugin/prepare(context:)``;
/// there is no global to reach into.
///
/// ```swift
/// init(configuration: Configuration, context: PluginContext) {
///     self.store = context.store
///     context.logger.debug("ready")
/// }
/// ```
public struct PluginContext: Sendable {
    /// A logger with `plugin.id` metadata set.
    public var logger: Logger
    /// The shared store (SQLite or PostgreSQL); plugin tables are created by the plugin's migrations.
    public var store: any SQLStore
    /// Secrets kept encrypted in the store, scoped to this plugin.
    public var secrets: any SecretStore
    /// The wall clock, injected so that expiry can be tested.
    public var clock: any WallClock
    /// Where to run blocking or CPU-heavy work (password hashing).
    public var blocking: any BlockingExecutor

    /// Creates a context.
    /// - Parameters:
    ///   - logger: the plugin's logger.
    ///   - store: the shared store.
    ///   - secrets: the plugin's secret store.
    ///   - clock: the wall clock.
    ///   - blocking: the executor for blocking work.
    public init(
        logger: Logger, store: any SQLStore, secrets: any SecretStore, clock: any WallClock,
        blocking: any BlockingExecutor
    ) {
        self.logger = logger
        self.store = store
        self.secrets = secrets
        self.clock = clock
        self.blocking = blocking
    }
}
