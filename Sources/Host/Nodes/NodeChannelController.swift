import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import PluginAPI

/// The controller's end of the node channel, `/node/v1/...`, served with mutual TLS on its own port. Every call
/// but `ca` and `join` needs a node certificate from the node CA, of a node still in the registry.
struct NodeChannelController: Sendable {
    let authority: NodeAuthority
    let registry: NodeRegistry
    let settings: NodeChannelSettings
    let catalog: ProfileCatalog
    let backends: [any NodeBackend]
    let admission: NodeAdmission
    let connectionLog: ConnectionLog
    let revocations: RevocationLog
    let signal: ChangeSignal
    let clock: any WallClock

    static let maxBody = 4 << 20

    func addRoutes(to router: Router<NodeRequestContext>) {
        router.get("/node/v1/ca") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/x-pem-file"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: authority.certificatePEM)))
        }
        router.post("/node/v1/join") { request, context in try await join(request, context) }
        router.post("/node/v1/renew") { request, context in
            try await authenticated(request, context) { nodeID in try await renew(request, context, nodeID) }
        }
        router.post("/node/v1/configuration") { request, context in
            try await authenticated(request, context) { nodeID in try await configuration(request, context, nodeID) }
        }
        router.post("/node/v1/heartbeat") { request, context in
            try await authenticated(request, context) { nodeID in
                let health: NodeHealth = try await Self.decode(request, context)
                guard health.cpuCount >= 0, health.cpuCount < 100_000, health.connectionCount >= 0, health.uptime >= 0 else {
                    throw HTTPError(.badRequest, message: "health values out of range")
                }
                try await registry.heartbeat(nodeID, health)
                return Response(status: .noContent)
            }
        }
        router.post("/node/v1/authorize") { request, context in
            try await authenticated(request, context) { nodeID in
                let asked: NodeWire.AuthorizeRequest = try await Self.decode(request, context)
                guard VPNProfile.isValidID(asked.profileID), !asked.commonName.isEmpty, asked.commonName.utf8.count <= 128 else {
                    throw HTTPError(.badRequest, message: "profile_id or common_name is invalid")
                }
                let decision = try await admission.decide(
                    nodeID: nodeID, profileID: asked.profileID, commonName: asked.commonName, logger: context.logger)
                return try Self.json(decision)
            }
        }
        router.post("/node/v1/events") { request, context in
            try await authenticated(request, context) { nodeID in
                let batch: NodeWire.EventBatch = try await Self.decode(request, context)
                guard batch.events.count <= 1_000 else { throw HTTPError(.badRequest, message: "at most 1000 events per batch") }
                for (index, event) in batch.events.enumerated() {
                    if let problem = event.problem { throw HTTPError(.badRequest, message: "events[\(index)]: \(problem)") }
                }
                try await connectionLog.record(batch.events, nodeID: nodeID)
                return try Self.json(NodeWire.EventReceipt(recorded: batch.events.count))
            }
        }
        router.get("/node/v1/revocations") { request, context in
            try await authenticated(request, context) { _ in try await revocationList(request) }
        }
        router.post("/node/v1/reconcile") { request, context in
            try await authenticated(request, context) { nodeID in
                let asked: NodeWire.ReconcileRequest = try await Self.decode(request, context)
                guard asked.commonNames.count <= 100_000 else { throw HTTPError(.badRequest, message: "too many common_names") }
                return try Self.json(NodeWire.ReconcileResponse(invalid: try await admission.invalid(asked.commonNames, nodeID: nodeID)))
            }
        }
    }

    // MARK: enrolment

    private func join(_ request: Request, _ context: NodeRequestContext) async throws -> Response {
        let asked: NodeWire.JoinRequest = try await Self.decode(request, context)
        guard let token = JoinToken(text: asked.token) else {
            throw HTTPError(.badRequest, message: "not a join token: copy the whole line `portolan node add` printed")
        }
        guard token.caFingerprint == authority.fingerprint else {
            throw HTTPError(.unauthorized, message: "the join token was made for another controller")
        }
        let publicKey = try Self.publicKey(asked.publicKey)
        let now = clock.secondsSince1970
        let issued = try authority.issue(
            commonName: token.nodeID, dnsName: NodeAuthority.nodeName(token.nodeID), publicKey: publicKey,
            validity: settings.certificateValidity, now: now)
        guard try await registry.redeem(token, certificateExpiresAt: issued.notAfter) else {
            context.logger.warning("refused a join token", metadata: ["node.id": "\(token.nodeID)"])
            throw HTTPError(.unauthorized, message: "the join token is unknown, expired or already used: run `portolan node add \(token.nodeID)` again for a new one")
        }
        context.logger.info("node enrolled", metadata: ["node.id": "\(token.nodeID)"])
        return try Self.json(NodeWire.CertificateResponse(
            nodeID: token.nodeID, certificate: issued.pem, caCertificate: authority.certificatePEM, expiresAt: issued.notAfter))
    }

    private func renew(_ request: Request, _ context: NodeRequestContext, _ nodeID: String) async throws -> Response {
        let asked: NodeWire.RenewRequest = try await Self.decode(request, context)
        let issued = try authority.issue(
            commonName: nodeID, dnsName: NodeAuthority.nodeName(nodeID), publicKey: try Self.publicKey(asked.publicKey),
            validity: settings.certificateValidity, now: clock.secondsSince1970)
        try await registry.renewed(nodeID, certificateExpiresAt: issued.notAfter)
        return try Self.json(NodeWire.CertificateResponse(
            nodeID: nodeID, certificate: issued.pem, caCertificate: authority.certificatePEM, expiresAt: issued.notAfter))
    }

    // MARK: configuration

    private func configuration(_ request: Request, _ context: NodeRequestContext, _ nodeID: String) async throws -> Response {
        let asked: NodeWire.ConfigurationRequest = try await Self.decode(request, context)
        guard asked.runtimeDirectory.hasPrefix("/"), asked.runtimeDirectory.utf8.count <= 80,
            NodeDaemonSettings.isSafePath(asked.runtimeDirectory)
        else { throw HTTPError(.badRequest, message: "runtime_directory must be an absolute path of at most 80 safe bytes") }
        for name in [asked.user, asked.group].compactMap({ $0 }) where name.isEmpty || !name.utf8.allSatisfy(NodeDaemonSettings.isNameByte) {
            throw HTTPError(.badRequest, message: "user and group may hold letters, digits and _ only")
        }
        let profiles = try await catalog.entries(logger: context.logger).map(\.profile).filter { $0.node(nodeID) != nil }
        var processes: [NodeWire.Process] = []
        for backend in backends {
            let drop = asked.user.map { ($0, asked.group ?? $0) }
            for process in try await backend.serverConfigurations(
                for: ServerConfigurationRequest(
                    nodeID: nodeID, profiles: profiles, runtimeDirectory: asked.runtimeDirectory, dropPrivilegesTo: drop,
                    managementClientAuth: true),
                context: AuthCallContext(logger: context.logger))
            {
                processes.append(NodeWire.Process(
                    name: process.name, profileID: process.profileID, transport: process.transport, port: process.port,
                    managementSocket: process.managementSocket, body: process.body))
            }
        }
        return try Self.json(NodeWire.ConfigurationResponse(processes: processes))
    }

    // MARK: revocations (long-poll)

    private func revocationList(_ request: Request) async throws -> Response {
        let query = request.uri.queryParameters
        guard let cursor = Int64(query["after"].map(String.init) ?? "0"), cursor >= 0 else {
            throw HTTPError(.badRequest, message: "after must be a non-negative integer")
        }
        guard let wait = Int(query["wait"].map(String.init) ?? "0"), (0...60).contains(wait) else {
            throw HTTPError(.badRequest, message: "wait must be 0 to 60 seconds")
        }
        let deadline = ContinuousClock.now + .seconds(wait)
        while cursor > 0, ContinuousClock.now < deadline, !signal.isClosed {
            let generation = signal.generation
            if try await revocations.hasNews(after: cursor) { break }
            // Woken by a change notice (PostgreSQL NOTIFY, or this process); the timeout covers writes no notice
            // announces (SQLite writes of this process; another process's on SQLite are noticed every 250 ms).
            await signal.wait(after: generation, timeout: .milliseconds(200))
        }
        return try Self.json(try await revocations.since(cursor))
    }

    // MARK: helpers

    private func authenticated(
        _ request: Request, _ context: NodeRequestContext, _ body: (String) async throws -> Response
    ) async throws -> Response {
        guard let nodeID = await context.peerNodeID() else {
            throw HTTPError(.unauthorized, message: "a node certificate is required")
        }
        guard try await registry.isEnrolled(nodeID) else {
            throw HTTPError(.forbidden, message: "node '\(nodeID)' is not in the registry (removed?)")
        }
        return try await body(nodeID)
    }

    static func decode<Value: Decodable>(_ request: Request, _ context: NodeRequestContext) async throws -> Value {
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: maxBody)
        } catch {
            throw HTTPError(.contentTooLarge, message: "the body is larger than \(maxBody) bytes")
        }
        do {
            return try JSONDecoder().decode(Value.self, from: Data(buffer.readableBytesView))
        } catch let DecodingError.keyNotFound(key, _) {
            throw HTTPError(.badRequest, message: "malformed request: missing \"\(key.stringValue)\"")
        } catch let DecodingError.typeMismatch(_, detail) {
            throw HTTPError(.badRequest, message: "malformed request: wrong type at \"\(detail.codingPath.map(\.stringValue).joined(separator: "."))\"")
        } catch {
            throw HTTPError(.badRequest, message: "malformed request: the body is not the expected JSON")
        }
    }

    static func json(_ value: some Encodable) throws -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(value))))
    }

    static func publicKey(_ pem: String) throws -> P256.Signing.PublicKey {
        guard pem.utf8.count < 4_096, let key = try? P256.Signing.PublicKey(pemRepresentation: pem) else {
            throw HTTPError(.badRequest, message: "public_key must be a P-256 public key in PEM")
        }
        return key
    }
}
