import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import PluginAPI

/// Builds the HTTP application from a booted runtime. Tests call it too.
enum ApplicationBuilder {
    /// The router with every route.
    /// - Parameter extraRoutes: routes a test adds (a slow endpoint to test graceful shutdown, say).
    static func router(
        _ runtime: HostRuntime, extraRoutes: (Router<PortolanRequestContext>) -> Void = { _ in }
    ) -> Router<PortolanRequestContext> {
        let config = runtime.configuration
        let router = Router(context: PortolanRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        let origins = RequestOrigin.Policy(configuration: config)
        let sessions = PortalSessionStore(store: runtime.store, clock: runtime.clock)
        let guardian = PortalGuard(sessions: sessions, origins: origins)
        let tokens = tokenService(runtime)
        var backends: [String: any NodeBackend] = [:]
        for backend in runtime.registry.nodeBackends where backends[backend.protocolName] == nil {
            backends[backend.protocolName] = backend
        }

        HealthController(store: runtime.store).addRoutes(to: router)
        WellKnownController(origins: origins).addRoutes(to: router)
        LoginController(
            authenticator: runtime.authenticator, sessions: sessions, guardian: guardian, proxyHeaders: config.proxyHeaders,
            redirectProviders: runtime.registry.redirectAuthProviders.map { ($0.id, $0.displayName) }
        ).addRoutes(to: router)
        RedirectLoginController(
            providers: runtime.registry.redirectAuthProviders, authenticator: runtime.authenticator, sessions: sessions,
            guardian: guardian, store: runtime.store, clock: runtime.clock
        ).addRoutes(to: router)
        PortalHomeController(guardian: guardian).addRoutes(to: router)
        PasswordChangeController(
            manager: runtime.passwordManager, authenticator: runtime.authenticator, directory: runtime.directory, guardian: guardian)
            .addRoutes(to: router)
        TwoFactorController(managers: runtime.registry.secondFactorManagers, guardian: guardian, issuer: "Portolan").addRoutes(to: router)
        OAuthController(tokens: tokens, guardian: guardian).addRoutes(to: router)
        APIController(
            tokens: tokens,
            catalog: ProfileCatalog(providers: runtime.registry.profileProviders, backends: Set(backends.keys), clock: runtime.clock),
            backends: backends, ledger: ConfigurationLedger(store: runtime.store),
            nodes: NodeSelector(
                registry: NodeRegistry(store: runtime.store, clock: runtime.clock), clock: runtime.clock,
                onlineWindow: config.nodes.onlineWindow),
            settings: config.api, origins: origins,
            clock: runtime.clock
        ).addRoutes(to: router)
        AdminNodesController(
            guardian: guardian, directory: runtime.directory, registry: NodeRegistry(store: runtime.store, clock: runtime.clock),
            adminPermissions: config.login.adminPermissions, onlineWindow: config.nodes.onlineWindow
        ).addRoutes(to: router)
        extraRoutes(router)
        return router
    }

    /// The OAuth logic over the runtime's store, keys and cache.
    static func tokenService(_ runtime: HostRuntime) -> TokenService {
        let oauth = runtime.configuration.oauth
        return TokenService(
            settings: oauth, clients: OAuthClientRegistry(configured: oauth.clients), codec: runtime.tokenCodec,
            authorizations: AuthorizationStore(store: runtime.store, feed: runtime.changeFeed),
            grants: GrantDirectory(store: runtime.store, cache: runtime.grantCache), clock: runtime.clock, logger: runtime.logger)
    }

    /// The application listening on the configured address, over TLS unless `tls` is `nil`.
    /// - Parameter onRunning: called with the bound port once the server listens.
    static func application(
        _ runtime: HostRuntime, tls: ServerTLS?, extraRoutes: (Router<PortolanRequestContext>) -> Void = { _ in },
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let listen = runtime.configuration.listen
        let server: HTTPServerBuilder = try tls.map { try .tls(.http1(), tlsConfiguration: $0.configuration) } ?? .http1()
        return Application(
            router: router(runtime, extraRoutes: extraRoutes),
            server: server,
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "Portolan"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listen.port) },
            logger: runtime.logger)
    }
}
