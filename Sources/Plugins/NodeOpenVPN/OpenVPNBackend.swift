import Logging
import PluginAPI

/// The OpenVPN ``NodeBackend``: issues a client certificate and renders the `.ovpn` for `/connect`, and renders
/// the server processes of a node. No process is spawned.
struct OpenVPNBackend: NodeBackend {
    static let migrations = [
        Migration(version: 1, name: "issued client certificates") { _ in
            [
                """
                CREATE TABLE openvpn_certificates (
                    common_name TEXT PRIMARY KEY, serial TEXT NOT NULL, user_id TEXT NOT NULL, profile_id TEXT NOT NULL,
                    node_id TEXT NOT NULL, expires_at BIGINT NOT NULL, created_at BIGINT NOT NULL)
                """,
                "CREATE INDEX openvpn_certificates_user ON openvpn_certificates (user_id)",
            ]
        },
        // The host records every configuration it hands out (`vpn_configurations`, with the authorization), so the
        // plugin's own ledger went: one write less per /connect.
        Migration(version: 2, name: "client certificates are recorded by the host") { _ in
            ["DROP TABLE openvpn_certificates"]
        },
    ]

    let protocolName = "openvpn"
    let authorities: CAStore
    let clock: any WallClock

    func clientConfiguration(for request: ClientConfigurationRequest, context: AuthCallContext) async throws
        -> ClientConfiguration
    {
        let profile = request.profile
        guard let settings = profile.openVPN else {
            throw PluginError.invalidRequest("the profile '\(profile.id)' does not offer OpenVPN")
        }
        guard let node = request.nodeID.flatMap(profile.node) ?? profile.nodes.first else {
            throw PluginError.unavailable("the profile '\(profile.id)' runs on no node")
        }
        let now = clock.secondsSince1970
        let authority = try await authorities.authority()
        let expiresAt = min(request.expiresAt, authority.notAfter)
        guard expiresAt > now else { throw PluginError.invalidRequest("the authorization has expired") }
        let issued = try authority.issueClient(profileID: profile.id, notAfter: expiresAt, now: now)
        let tlsCrypt = try await authorities.tlsCryptKey(profileID: profile.id)
        var generator = SystemRandomNumberGenerator()
        let body = ClientConfigRenderer.render(
            .init(
                profile: profile, settings: settings, node: node, caPEM: authority.certificatePEM,
                certificatePEM: issued.certificatePEM, privateKeyPEM: issued.privateKeyPEM, tlsCrypt: tlsCrypt,
                expiresAt: expiresAt, portalURL: request.portalURL, preferTCP: request.preferTCP),
            using: &generator)
        context.logger.debug("issued a client certificate", metadata: ["profile.id": "\(profile.id)", "node.id": "\(node.id)"])
        return ClientConfiguration(
            mediaType: "application/x-openvpn-profile", body: body, expiresAt: expiresAt, credentialID: issued.commonName,
            nodeID: node.id)
    }

    func serverConfigurations(for request: ServerConfigurationRequest, context: AuthCallContext) async throws
        -> [ServerProcessConfiguration]
    {
        let authority = try await authorities.authority()
        var configurations: [ServerProcessConfiguration] = []
        var tunIndex = 0
        for profile in request.profiles {
            guard let settings = profile.openVPN, let node = profile.node(request.nodeID) else { continue }
            let plan: AddressPlan
            do {
                plan = try AddressPlan(profileID: profile.id, settings: settings, nodeIDs: profile.nodes.map(\.id))
            } catch let error as AddressPlan.PlanError {
                throw PluginError.invalidRequest("profile '\(profile.id)': \(error.description)")
            }
            let tlsCrypt = try await authorities.tlsCryptKey(profileID: profile.id)
            let certificate = try await authorities.serverCertificate(nodeID: node.id, hostName: node.hostName, profileID: profile.id)
            for process in plan.processes(onNode: node.id) {
                let name = "\(profile.id)-\(process.index)"
                let socket = "\(request.runtimeDirectory)/\(name).sock"
                let body = ServerConfigRenderer.render(
                    .init(
                        profile: profile, process: process, node: node, tunIndex: tunIndex, managementSocket: socket,
                        caPEM: authority.certificatePEM, certificatePEM: certificate.certificatePEM,
                        privateKeyPEM: certificate.privateKeyPEM, tlsCrypt: tlsCrypt,
                        dropPrivilegesTo: request.dropPrivilegesTo, clientConnectScript: request.clientConnectScript,
                        clientDisconnectScript: request.clientDisconnectScript,
                        managementClientAuth: request.managementClientAuth))
                configurations.append(
                    ServerProcessConfiguration(
                        name: name, profileID: profile.id, transport: process.transport, port: process.port,
                        managementSocket: socket, body: body))
                tunIndex += 1
            }
        }
        return configurations
    }
}
