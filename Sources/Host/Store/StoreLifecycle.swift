import PluginAPI

/// What the host needs of a store beyond the plugin seam: a liveness probe and a clean close.
protocol StoreLifecycle: SQLStore {
    /// Runs a trivial query; throws when the store is unreachable.
    func ping() async throws
    /// Closes connections. The store must not be used afterwards.
    func close() async
}
