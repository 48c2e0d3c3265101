import PluginAPI

/// The plugins running in this process, frozen after boot: an immutable value, safe to share.
struct PluginRegistry: Sendable {
    let plugins: [LoadedPlugin]

    var ids: [PluginID] { plugins.map(\.id) }
    var authProviders: [any AuthProvider] { plugins.flatMap(\.contributions.authProviders) }
    var redirectAuthProviders: [any RedirectAuthProvider] { plugins.flatMap(\.contributions.redirectAuthProviders) }
    var passwordAccountManagers: [any PasswordAccountManager] {
        plugins.flatMap(\.contributions.passwordAccountManagers)
    }
    var secondFactorManagers: [any SecondFactorManager] { plugins.flatMap(\.contributions.secondFactorManagers) }
    var profileProviders: [any ProfileProvider] { plugins.flatMap(\.contributions.profileProviders) }
    var nodeBackends: [any NodeBackend] { plugins.flatMap(\.contributions.nodeBackends) }
    var connectionHooks: [any ConnectionHook] { plugins.flatMap(\.contributions.connectionHooks) }

    /// Each plugin's migrations, scoped by plugin id, in registry order.
    var migrations: [MigrationRunner.Scoped] {
        plugins.map { MigrationRunner.Scoped(scope: $0.id.rawValue, migrations: $0.contributions.migrations) }
    }
}
