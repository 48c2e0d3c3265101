import Hummingbird
import Logging
import NIOCore

/// Builds the HTTP application from a booted runtime. Tests call it too.
enum ApplicationBuilder {
    /// The router with every route.
    /// - Parameter extraRoutes: routes a test adds (a slow endpoint to test graceful shutdown, say).
    static func router(
        _ runtime: HostRuntime, extraRoutes: (Router<PortolanRequestContext>) -> Void = { _ in }
    ) -> Router<PortolanRequestContext> {
        let router = Router(context: PortolanRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        HealthController(store: runtime.store).addRoutes(to: router)
        extraRoutes(router)
        return router
    }

    /// The application listening on the configured address.
    /// - Parameter onRunning: called with the bound port once the server listens.
    static func application(
        _ runtime: HostRuntime, extraRoutes: (Router<PortolanRequestContext>) -> Void = { _ in },
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        let listen = runtime.configuration.listen
        return Application(
            router: router(runtime, extraRoutes: extraRoutes),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "Portolan"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listen.port) },
            logger: runtime.logger)
    }
}
