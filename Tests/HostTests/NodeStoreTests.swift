import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginAPI
import Testing

@testable import Host

/// The controller's side of nodes against each store: revocations filled by triggers (every path that ends a
/// configuration), admission decisions, reconciliation, the idempotent connection log, join tokens and node choice.
@Suite("Node registry, revocations and connection log")
struct NodeStoreTests {
    static let yaml = """
        plugins:
          profiles:
            nodes:
              - id: n1
                host_name: vpn1.example.org
              - id: n2
                host_name: vpn2.example.org
            profiles:
              - id: tunnel
                display_name: Tunnel
                openvpn:
                  ipv4_range: 10.200.0.0/24
                  ipv6_range: fd99::/64
              - id: staff
                display_name: Staff
                required_permissions: [staff]
                openvpn:
                  ipv4_range: 10.201.0.0/24
                  ipv6_range: fd98::/64
                  udp_ports: [1195]
                  tcp_ports: [1195]
        """

    static func entry(_ cn: String, user: String = "alice", profile: String = "tunnel", node: String = "n1", auth: String? = nil, expiresAt: Int64)
        -> ConfigurationLedger.Entry
    {
        .init(credentialID: cn, protocolName: "openvpn", userID: user, profileID: profile, nodeID: node, authorizationKey: auth,
            createdAt: expiresAt - 3_600, expiresAt: expiresAt)
    }

    @Test(arguments: TestHost.Backend.allCases)
    func revocationsAdmissionAndReconciliation(_ backend: TestHost.Backend) async throws {
        try await TestHost.withRuntime(backend, yaml: Self.yaml) { runtime in
            let store = runtime.store
            let now = runtime.clock.secondsSince1970
            try await runtime.directory.add("alice", authProvider: "local")
            try await runtime.directory.add("bob", authProvider: "local")
            try await store.execute(
                """
                INSERT INTO oauth_authorizations (auth_key, user_id, client_id, scope, redirect_uri, code_challenge, created_at, expires_at)
                VALUES ('k1', 'alice', 'org.eduvpn.app.linux', 'config', 'http://127.0.0.1/cb', 'x', \(now), \(now + 7_200))
                """)
            let ledger = ConfigurationLedger(store: store)
            let catalog = ProfileCatalog(providers: runtime.registry.profileProviders, backends: ["openvpn"], clock: runtime.clock)
            let admission = NodeAdmission(store: store, catalog: catalog, clock: runtime.clock)
            let revocations = RevocationLog(store: store, clock: runtime.clock)

            try await ledger.record(Self.entry("cn1", auth: "k1", expiresAt: now + 3_600), maxActive: 3)
            let allowed = try await admission.decide(nodeID: "n1", profileID: "tunnel", commonName: "cn1", logger: .quiet)
            #expect(allowed.allow && allowed.userID == "alice" && allowed.expiresAt == now + 3_600)
            #expect(try await admission.decide(nodeID: "n1", profileID: "staff", commonName: "cn1", logger: .quiet).reason == "the certificate is for another profile")
            #expect(try await admission.decide(nodeID: "n2", profileID: "tunnel", commonName: "cn1", logger: .quiet).reason == "the certificate is for another node")
            #expect(try await admission.decide(nodeID: "n1", profileID: "tunnel", commonName: "nobody", logger: .quiet).allow == false)
            try await ledger.record(Self.entry("cn-staff", profile: "staff", expiresAt: now + 3_600), maxActive: 3)
            #expect(try await admission.decide(nodeID: "n1", profileID: "staff", commonName: "cn-staff", logger: .quiet).reason
                == "the user may no longer use the profile")
            try await ledger.record(Self.entry("cn-old", expiresAt: now - 1), maxActive: 3)
            #expect(try await admission.decide(nodeID: "n1", profileID: "tunnel", commonName: "cn-old", logger: .quiet).reason == "the certificate has expired")

            // Every way a configuration ends leaves a revocation: replaced by a new /connect, /disconnect, user disabled.
            #expect(try await revocations.since(0).revocations.isEmpty)
            try await ledger.record(Self.entry("cn2", auth: "k1", expiresAt: now + 3_600), maxActive: 3)
            #expect(try await revocations.since(0).revocations.map(\.commonName) == ["cn1"])
            try await ledger.release(authorizationKey: "k1")
            try await ledger.record(Self.entry("cn3", user: "bob", expiresAt: now + 3_600), maxActive: 3)
            try await runtime.directory.setDisabled("bob", true)
            let list = try await revocations.since(0)
            #expect(list.revocations.map(\.commonName) == ["cn1", "cn2", "cn3"])
            #expect(list.cursor == list.revocations.map(\.seq).max())
            #expect(try await revocations.hasNews(after: list.cursor) == false)
            #expect(try await revocations.hasNews(after: 0))
            #expect(try await admission.decide(nodeID: "n1", profileID: "tunnel", commonName: "cn3", logger: .quiet).allow == false)

            // Reconciliation: of the connected names, those no longer valid on this node.
            try await ledger.record(Self.entry("cn4", expiresAt: now + 3_600), maxActive: 3)
            try await ledger.record(Self.entry("cn5", node: "n2", expiresAt: now + 3_600), maxActive: 3)
            #expect(try await admission.invalid(["cn1", "cn4", "cn5", "cn-old", "x"], nodeID: "n1") == ["cn1", "cn5", "cn-old", "x"])

            // Revocations of certificates that expired anyway go at housekeeping.
            try await store.execute("UPDATE credential_revocations SET expires_at = \(now - 10) WHERE credential_id = 'cn1'")
            #expect(try await RevocationLog.purge(store: store, now: now) == 1)
        }
    }

    @Test(arguments: TestHost.Backend.allCases)
    func connectionLogTokensAndNodeChoice(_ backend: TestHost.Backend) async throws {
        let clock = TestClock()
        try await TestHost.withRuntime(backend, yaml: Self.yaml, clock: clock) { runtime in
            let store = runtime.store
            try await runtime.directory.add("alice", authProvider: "local")
            let log = ConnectionLog(store: store)
            let connect = NodeEvent(
                kind: .connect, session: "ab12", profileID: "tunnel", commonName: "cn1", userID: "alice", ipv4: "10.200.0.2",
                ipv6: "fd99::2", originatingAddress: "192.0.2.7", at: 100)
            let disconnect = NodeEvent(
                kind: .disconnect, session: "ab12", profileID: "tunnel", commonName: "cn1", at: 160, bytesIn: 1_000, bytesOut: 2_000)
            try await log.record([connect], nodeID: "n1")
            try await log.record([connect, disconnect], nodeID: "n1")  // redelivered with what followed
            try await log.record([connect, disconnect, NodeEvent(
                kind: .disconnect, session: "ab12", profileID: "tunnel", commonName: "cn1", at: 999, bytesIn: 1, bytesOut: 1)], nodeID: "n1")
            let entries = try await log.list(limit: 10)
            #expect(entries.count == 1)
            #expect(entries.first?.disconnectedAt == 160 && entries.first?.bytesIn == 1_000 && entries.first?.bytesOut == 2_000)
            #expect(entries.first?.userID == "alice" && entries.first?.originatingAddress == "192.0.2.7")
            try await log.record([NodeEvent(kind: .connect, session: "ab12", profileID: "tunnel", commonName: "cn9", at: 200)], nodeID: "n2")
            #expect(try await log.list(limit: 10).count == 2, "the same session id on another node is another session")
            #expect(NodeEvent(kind: .connect, session: "XY", profileID: "t", commonName: "c", at: 1).problem != nil)
            #expect(NodeEvent(kind: .connect, session: "ab", profileID: "t", commonName: "c", ipv4: "10.0.0.300", at: 1).problem != nil)

            // Join tokens: once, unexpired, for the node they name.
            let registry = NodeRegistry(store: store, clock: clock)
            let token = JoinToken.generate(nodeID: "n1", caFingerprint: String(repeating: "a", count: 64))
            #expect(try await registry.add("n1", tokenHash: token.secretHash, expiresAt: clock.secondsSince1970 + 60) == .added)
            #expect(JoinToken(text: token.text) == token)
            #expect(JoinToken(text: "pnj1.N1.x.y") == nil)
            var other = token
            other.nodeID = "n2"
            #expect(try await registry.redeem(other, certificateExpiresAt: 1) == false)
            clock.advance(by: 61)
            #expect(try await registry.redeem(token, certificateExpiresAt: 1) == false, "expired")
            #expect(try await registry.add("n1", tokenHash: token.secretHash, expiresAt: clock.secondsSince1970 + 60) == .reissued)
            #expect(try await registry.redeem(token, certificateExpiresAt: 1))
            #expect(try await registry.redeem(token, certificateExpiresAt: 1) == false, "used")
            #expect(try await registry.isEnrolled("n1"))

            // /connect's choice: the least loaded node that is online.
            try await registry.enrolDirectly("n2", certificateExpiresAt: 1)
            try await registry.heartbeat("n1", NodeHealth(cpuCount: 2, loadPercent: 80, uptime: 1, connectionCount: 5))
            try await registry.heartbeat("n2", NodeHealth(cpuCount: 2, loadPercent: 10, uptime: 1, connectionCount: 50))
            let profile = try #require(try await runtime.registry.profileProviders[0].profiles(context: .init(logger: .quiet)).first)
            #expect(try await NodeSelector(registry: registry, clock: clock, onlineWindow: 15).choose(for: profile) == "n2")
            clock.advance(by: 10)
            try await registry.heartbeat("n1", NodeHealth(cpuCount: 2, loadPercent: 80, uptime: 1, connectionCount: 5))
            clock.advance(by: 10)
            #expect(try await NodeSelector(registry: registry, clock: clock, onlineWindow: 15).choose(for: profile) == "n1", "n2 went quiet")
            clock.advance(by: 60)
            #expect(try await NodeSelector(registry: registry, clock: clock, onlineWindow: 15).choose(for: profile) == nil)
            #expect(try await registry.list().map { $0.status(now: clock.secondsSince1970, window: 15) } == ["offline", "offline"])
            #expect(try await registry.remove("n2"))
            #expect(try await registry.isEnrolled("n2") == false)
        }
    }

    /// The admin pages' JSON: admins only, the same figures as `portolan node list --json`.
    @Test func adminNodeListEndpoint() async throws {
        try await TestHost.withRuntime(.sqlite, yaml: Self.yaml + "\nlogin:\n  admin_permissions: [vpn-admins]\n") { runtime in
            try await runtime.directory.add("root", authProvider: "local", isAdmin: true)
            try await runtime.directory.add("ops", authProvider: "local", permissions: ["vpn-admins"])
            try await runtime.directory.add("alice", authProvider: "local")
            let registry = NodeRegistry(store: runtime.store, clock: runtime.clock)
            try await registry.enrolDirectly("n1", certificateExpiresAt: runtime.clock.secondsSince1970 + 100)
            try await registry.heartbeat("n1", NodeHealth(cpuCount: 16, loadPercent: 12, uptime: 99, connectionCount: 7))
            _ = try await registry.add("n2", tokenHash: "x", expiresAt: runtime.clock.secondsSince1970 + 60)
            let sessions = PortalSessionStore(store: runtime.store, clock: runtime.clock)
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            try await app.test(.router) { client in
                for (user, status) in [("root", HTTPResponse.Status.ok), ("ops", .ok), ("alice", .forbidden)] {
                    let cookie = try await sessions.create(userID: user).cookie
                    try await client.execute(
                        uri: "/admin/api/v1/nodes", method: .get, headers: [.cookie: "\(PortalSessionStore.cookieName)=\(cookie)"]
                    ) { response in
                        #expect(response.status == status, "\(user)")
                        guard status == .ok else { return }
                        let body = try JSONDecoder().decode(AdminNodesController.Body.self, from: Data(String(buffer: response.body).utf8))
                        #expect(body.nodes.map(\.id) == ["n1", "n2"])
                        #expect(body.nodes.map(\.status) == ["online", "pending"])
                        #expect(body.nodes.first?.connections == 7 && body.nodes.first?.cpuCount == 16)
                    }
                }
                try await client.execute(uri: "/admin/api/v1/nodes", method: .get) { response in
                    #expect(response.status == .unauthorized)
                    #expect(String(buffer: response.body).contains("error"))
                }
            }
        }
    }

    /// Node settings are validated like every other key: errors name the key and say what to fix.
    @Test func nodeSettingsAreValidated() throws {
        let cases: [(String, String)] = [
            ("nodes:\n  listen: nowhere", "nodes.listen"),
            ("nodes:\n  online_window: PT1S", "nodes.online_window"),
            ("node:\n  enabled: true\n  id: Bad_Id", "node.id"),
            ("node:\n  offline_policy: maybe", "node.offline_policy"),
            ("node:\n  runtime_directory: relative/run", "node.runtime_directory"),
            ("node:\n  openvpn:\n    user: \"root; rm\"", "node.openvpn.user"),
            ("node:\n  enabled: false\n  colour: blue", "node.colour"),
        ]
        for (yaml, key) in cases {
            #expect(throws: ConfigError.self, "\(key)") {
                do {
                    _ = try TestHost.load(yaml, directory: "/tmp")
                } catch let error as ConfigError {
                    #expect(error.key == key, "\(error)")
                    throw error
                }
            }
        }
        let loaded = try TestHost.load("node:\n  enabled: true\n  id: edge-1\n  offline_policy: refuse\n", directory: "/tmp")
        #expect(loaded.host.localNode?.nodeID == "edge-1" && loaded.host.localNode?.daemon.allowOffline == false)
        #expect(try TestHost.load("node:\n  enabled: false\n  id: edge-1\n", directory: "/tmp").host.localNode == nil)
    }
}
