/// The capabilities a plugin adds to the host.
///
/// Every field defaults to empty, so a plugin names only what it provides.
///
/// ```swift
/// var contributions: Contributions {
///     Contributions(authProviders: [provider], migrations: Self.migrations)
/// }
/// ```
public struct Contributions: Sendable {
    /// Authentication providers, tried in registry order; see ``AuthProvider``.
    public var authProviders: [any AuthProvider]
    /// Providers that start a browser redirect login (OIDC, SAML); see ``RedirectAuthProvider``.
    public var redirectAuthProviders: [any RedirectAuthProvider]
    /// Local password accounts the host can manage (`portolan user passwd`); see ``PasswordAccountManager``.
    public var passwordAccountManagers: [any PasswordAccountManager]
    /// Second factors for the plugin's accounts (TOTP).
    public var secondFactorManagers: [any SecondFactorManager]
    /// Sources of VPN profiles; see ``ProfileProvider``.
    public var profileProviders: [any ProfileProvider]
    /// VPN node backends (OpenVPN, WireGuard); see ``NodeBackend``.
    public var nodeBackends: [any NodeBackend]
    /// Observers of VPN connections; see ``ConnectionHook``.
    public var connectionHooks: [any ConnectionHook]
    /// The plugin's schema migrations, applied in `version` order at boot; see ``Migration``.
    public var migrations: [Migration]

    /// Creates a set of contributions.
    /// - Parameters:
    ///   - authProviders: password (or other credential) authentication providers.
    ///   - redirectAuthProviders: redirect-based login providers.
    ///   - passwordAccountManagers: managers of local password accounts.
    ///   - secondFactorManagers: second factors (TOTP) for the plugin's accounts.
    ///   - profileProviders: VPN profile sources.
    ///   - nodeBackends: VPN node backends.
    ///   - connectionHooks: connection observers.
    ///   - migrations: the plugin's schema migrations.
    public init(
        authProviders: [any AuthProvider] = [],
        redirectAuthProviders: [any RedirectAuthProvider] = [],
        passwordAccountManagers: [any PasswordAccountManager] = [],
        secondFactorManagers: [any SecondFactorManager] = [],
        profileProviders: [any ProfileProvider] = [],
        nodeBackends: [any NodeBackend] = [],
        connectionHooks: [any ConnectionHook] = [],
        migrations: [Migration] = []
    ) {
        self.authProviders = authProviders
        self.redirectAuthProviders = redirectAuthProviders
        self.passwordAccountManagers = passwordAccountManagers
        self.secondFactorManagers = secondFactorManagers
        self.profileProviders = profileProviders
        self.nodeBackends = nodeBackends
        self.connectionHooks = connectionHooks
        self.migrations = migrations
    }
}
