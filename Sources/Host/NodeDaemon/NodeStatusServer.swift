import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Logging
import NIOCore
import NIOSSL

/// The node's own API (`listen` in `node.yaml`), mutual TLS 1.3: a client certificate from the node CA is required at
/// the handshake, and only the controller's role may call. `GET /v1/status`, `POST /v1/disconnect`.
enum NodeStatusServer {
    struct Status: Codable, Sendable {
        var nodeID: String
        var controllerReachable: Bool?
        var processes: [String]
        var connections: [SessionTable.Session]
        var pendingEvents: Int
        var revocations: Int
        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id", controllerReachable = "controller_reachable", processes, connections,
                pendingEvents = "pending_events", revocations
        }
    }

    struct DisconnectRequest: Codable, Sendable {
        var commonName: String
        enum CodingKeys: String, CodingKey { case commonName = "common_name" }
    }

    struct DisconnectResponse: Codable, Sendable {
        var disconnected: Int
    }

    static func routes(_ daemon: NodeDaemon, to router: Router<NodeRequestContext>) {
        router.get("/v1/status") { _, context in
            try await requireController(context)
            return try NodeChannelController.json(Status(
                nodeID: daemon.nodeID, controllerReachable: daemon.controllerReachable, processes: daemon.processNames,
                connections: daemon.sessions.established, pendingEvents: daemon.journal.count, revocations: daemon.revocations.count))
        }
        router.post("/v1/disconnect") { request, context in
            try await requireController(context)
            let asked: DisconnectRequest = try await NodeChannelController.decode(request, context)
            guard !asked.commonName.isEmpty, asked.commonName.utf8.count <= 128 else {
                throw HTTPError(.badRequest, message: "common_name must be 1 to 128 characters")
            }
            return try NodeChannelController.json(DisconnectResponse(disconnected: daemon.sessions.disconnect([asked.commonName])))
        }
    }

    static func requireController(_ context: NodeRequestContext) async throws {
        guard await context.peerNames().contains(NodeAuthority.controllerName) else {
            throw HTTPError(.forbidden, message: "only the controller may call this node")
        }
    }

    static func application(
        daemon: NodeDaemon, identity: ControllerLink.Identity, listen: ListenAddress, logger: Logger
    ) throws -> some ApplicationProtocol {
        let tls = try identity.serverConfiguration(clients: .noHostnameVerification)
        let router = Router(context: NodeRequestContext.self)
        router.add(middleware: JSONErrorMiddleware())
        routes(daemon, to: router)
        return Application(
            router: router, server: try .tls(.http1(), tlsConfiguration: tls),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: "Portolan node"),
            onServerRunning: { channel in
                Console.out("Node API at https://\(listen.host):\(channel.localAddress?.port ?? listen.port)/")
            },
            logger: logger)
    }
}
