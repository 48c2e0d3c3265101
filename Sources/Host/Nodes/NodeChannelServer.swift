import Crypto
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL
import PluginAPI

/// Builds the node channel: its own HTTPS listener, TLS 1.3, asking every client for a certificate from the node
/// CA (a certificate from anywhere else fails the handshake; none at all is let through for `ca` and `join` only).
enum NodeChannelServer {
    /// This replica's channel identity: a fresh key and a certificate naming the controller role, signed by the
    /// node CA (nodes pin that CA from their join token and check the role name).
    static func tlsConfiguration(authority: NodeAuthority, clock: any WallClock) throws -> TLSConfiguration {
        let key = P256.Signing.PrivateKey()
        let issued = try authority.issue(
            commonName: "portolan-controller", dnsName: NodeAuthority.controllerName, publicKey: key.publicKey,
            validity: 365 * 86_400, now: clock.secondsSince1970)
        return try ControllerLink.Identity(certificatePEM: issued.pem, keyPEM: key.pemRepresentation, caPEM: authority.certificatePEM)
            .serverConfiguration(clients: .optionalVerification)
    }

    static func controller(_ runtime: HostRuntime, authority: NodeAuthority) -> NodeChannelController {
        let store = runtime.store
        var backends: [any NodeBackend] = []
        for backend in runtime.registry.nodeBackends where !backends.contains(where: { $0.protocolName == backend.protocolName }) {
            backends.append(backend)
        }
        let catalog = ProfileCatalog(
            providers: runtime.registry.profileProviders, backends: Set(backends.map(\.protocolName)), clock: runtime.clock)
        return NodeChannelController(
            authority: authority, registry: NodeRegistry(store: store, clock: runtime.clock), settings: runtime.configuration.nodes,
            catalog: catalog, backends: backends, admission: NodeAdmission(store: store, catalog: catalog, clock: runtime.clock),
            connectionLog: ConnectionLog(store: store), revocations: RevocationLog(store: store, clock: runtime.clock),
            signal: runtime.changeSignal, clock: runtime.clock)
    }

    static func application(
        _ runtime: HostRuntime, authority: NodeAuthority, listen: ListenAddress,
        onRunning: @escaping @Sendable (Int) async -> Void
    ) throws -> some ApplicationProtocol {
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        controller(runtime, authority: authority).addRoutes(to: router)
        return Application(
            router: router,
            server: try .tls(.http1(), tlsConfiguration: try tlsConfiguration(authority: authority, clock: runtime.clock)),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "Portolan node channel"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? listen.port) },
            logger: runtime.logger)
    }
}
