import Foundation
import PluginAPI
import Testing
import TestSupport

@testable import Host

/// The OpenVPN backend as the host wires it: CA in the store, certificates recorded, configurations that real
/// OpenVPN 2.6 processes accept.
@Suite("OpenVPN backend", .serialized)
struct OpenVPNBackendTests {
    static let yaml = """
        plugins:
          profiles:
            nodes:
              - id: n1
                host_name: 10.199.0.1
            profiles:
              - id: tunnel
                display_name: Tunnel test
                default_gateway: false
                routes: [192.0.2.0/24]
                openvpn:
                  ipv4_range: 10.200.0.0/24
                  ipv6_range: fd99::/64
                  udp_ports: [1194]
                  tcp_ports: [1194]
        """

    @Test(arguments: TestHost.Backend.allCases)
    func issuesRecordsAndCapsExpiry(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(backend, yaml: Self.yaml) { runtime in
            let openvpn = try #require(runtime.registry.nodeBackends.first { $0.protocolName == "openvpn" })
            let profile = try #require(try await runtime.registry.profileProviders[0].profiles(context: .init(logger: .quiet)).first)
            let now = runtime.clock.secondsSince1970
            let config = try await openvpn.clientConfiguration(
                for: ClientConfigurationRequest(profile: profile, userID: "alice", expiresAt: now + 3600, portalURL: "http://x/"),
                context: .init(logger: .quiet))
            #expect(config.mediaType == "application/x-openvpn-profile")
            #expect(config.expiresAt == now + 3600)
            #expect(config.nodeID == "n1")
            #expect(config.body.contains("remote 10.199.0.1 1194 udp\nremote 10.199.0.1 1194 tcp\n"))
            #expect(config.credentialID.count == 44)

            let far = try await openvpn.clientConfiguration(
                for: ClientConfigurationRequest(profile: profile, userID: "alice", expiresAt: now + 100 * 365 * 86400),
                context: .init(logger: .quiet))
            #expect(far.expiresAt <= now + 3650 * 86400 + 1, "capped at the CA's expiry")
            await #expect(throws: PluginError.invalidRequest("")) {
                _ = try await openvpn.clientConfiguration(
                    for: ClientConfigurationRequest(profile: profile, userID: "alice", expiresAt: now - 1), context: .init(logger: .quiet))
            }
            let servers = try await openvpn.serverConfigurations(
                for: ServerConfigurationRequest(nodeID: "n1", profiles: [profile], runtimeDirectory: "/run/portolan"),
                context: .init(logger: .quiet))
            #expect(servers.map(\.name) == ["tunnel-0", "tunnel-1"])
            #expect(servers.map(\.transport) == ["udp", "tcp"])
            #expect(servers[1].managementSocket == "/run/portolan/tunnel-1.sock")
            let other = try await openvpn.serverConfigurations(
                for: ServerConfigurationRequest(nodeID: "n2", profiles: [profile], runtimeDirectory: "/run/portolan"),
                context: .init(logger: .quiet))
            #expect(other.isEmpty, "a node that does not serve the profile gets nothing")
        }
    }

    /// Acceptance: a real OpenVPN 2.6 server and client, both from Portolan-rendered configurations, in two network
    /// namespaces; pings cross the tunnels over UDP and (prefer TCP) over TCP, on IPv4 and IPv6.
    @Test(.enabled(if: Self.canRunTunnels, Self.tunnelSkipReason))
    func realOpenVPNTunnelsCarryPings() async throws {
        try await TestHost.withRuntime(.sqlite, yaml: Self.yaml) { runtime in
            try await withTemporaryDirectory { work in
                let openvpn = try #require(runtime.registry.nodeBackends.first)
                let profile = try #require(try await runtime.registry.profileProviders[0].profiles(context: .init(logger: .quiet)).first)
                let fm = FileManager.default
                for folder in ["servers", "clients", "run"] { try fm.createDirectory(atPath: "\(work)/\(folder)", withIntermediateDirectories: true) }
                let servers = try await openvpn.serverConfigurations(
                    for: ServerConfigurationRequest(nodeID: "n1", profiles: [profile], runtimeDirectory: "\(work)/run"),
                    context: .init(logger: .quiet))
                for server in servers { try server.body.write(toFile: "\(work)/servers/\(server.name).conf", atomically: true, encoding: .utf8) }
                let now = runtime.clock.secondsSince1970
                for (name, preferTCP) in [("udp-first", false), ("prefer-tcp", true)] {
                    let client = try await openvpn.clientConfiguration(
                        for: ClientConfigurationRequest(profile: profile, userID: "alice", expiresAt: now + 3600, preferTCP: preferTCP),
                        context: .init(logger: .quiet))
                    try client.body.write(toFile: "\(work)/clients/\(name).ovpn", atomically: true, encoding: .utf8)
                }
                // udp-first lands on process 0 (10.200.0.0/25, fd99::/112), prefer-tcp on process 1 (the next of each).
                try "udp-first 10.200.0.1 fd99::1\nprefer-tcp 10.200.0.129 fd99::1:1\n"
                    .write(toFile: "\(work)/pings", atomically: true, encoding: .utf8)
                let result = try Shell.run("/bin/bash", [Self.script, work])
                #expect(result.status == 0, "\(result.output)")
                for line in ["TUNNEL OK udp-first 10.200.0.1", "TUNNEL OK udp-first fd99::1", "TUNNEL OK prefer-tcp 10.200.0.129",
                             "TUNNEL OK prefer-tcp fd99::1:1"] {
                    #expect(result.output.contains(line), "\(result.output)")
                }
                #expect(result.output.contains("TLSv1.3") && result.output.contains("ED25519"), "\(result.output)")
            }
        }
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Scripts/openvpn-tunnel.sh").path
    static var canRunTunnels: Bool { Shell.isRoot && Shell.which("openvpn") != nil && Shell.which("ip") != nil && Shell.which("ping") != nil }
    static let tunnelSkipReason: Comment = "needs root, openvpn, ip and ping (.ci/run installs them)"

    @Test func tunnelsRunInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Self.canRunTunnels, "CI must run the OpenVPN tunnel test")
        }
    }
}
