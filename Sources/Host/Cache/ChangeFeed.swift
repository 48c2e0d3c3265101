import PluginAPI

/// Carries ``ChangeMessage``s between the processes that share a store: PostgreSQL `LISTEN`/`NOTIFY` between
/// replicas, SQLite's `data_version` for a CLI writing beside a running server.
protocol ChangeFeed: Sendable {
    /// Announces a change inside the transaction that makes it: other processes hear it when it commits; this
    /// process's subscriber hears it at once.
    func publish(_ message: ChangeMessage, on executor: any SQLExecutor) async throws

    /// Delivers messages until cancelled. `healthy(false)` means messages may be missed (the listener lost its
    /// connection): caches must stop trusting themselves until `healthy(true)`, which follows a `.everything`.
    func run(deliver: @escaping @Sendable (ChangeMessage) -> Void, healthy: @escaping @Sendable (Bool) -> Void) async
}
