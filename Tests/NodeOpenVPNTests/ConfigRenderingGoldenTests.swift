import Foundation
import PluginAPI
import Testing
import TestSupport

@testable import NodeOpenVPNPlugin

/// Rendered configurations compared byte for byte with reviewed files in `Golden/`.
/// Run with `UPDATE_GOLDEN=1` to rewrite them after a deliberate change, then review the diff.
@Suite("OpenVPN configuration rendering")
struct ConfigRenderingGoldenTests {
    static let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    static let node = ProfileNode(id: "node-a", hostName: "vpn.example.org")
    static let profile: VPNProfile = {
        // The literals below are valid; a failure here is a broken test, not a broken server.
        func network(_ text: String) -> IPNetwork { (try? IPNetwork(parsing: text)) ?? IPNetwork(address: [0, 0, 0, 0], prefixLength: 0) }
        return VPNProfile(
            id: "office", displayName: "Office (split)", requiredPermissions: ["staff"], defaultGateway: false,
            dnsServers: ["@GW4@", "@GW6@"], dnsSearchDomains: ["corp.example.org"],
            routes: [network("192.0.2.0/24"), network("2001:db8:1::/48")], excludedRoutes: [network("192.0.2.128/25")],
            nodes: [node, ProfileNode(id: "node-b", hostName: "vpn-b.example.org", listenAddress: "198.51.100.7")],
            openVPN: OpenVPNProfileSettings(
                ipv4Range: network("10.60.0.0/22"), ipv6Range: network("fd60::/64"), udpPorts: [1194, 1195, 53],
                tcpPorts: [1194, 1195, 443, 80, 8443], exposedUDPPorts: [], exposedTCPPorts: []))
    }()
    static let fullTunnel = VPNProfile(
        id: "everything", displayName: "Everything", blockLAN: true, nodes: [node],
        openVPN: OpenVPNProfileSettings(
            ipv4Range: IPNetwork(address: [10, 61, 0, 0], prefixLength: 24),
            ipv6Range: IPNetwork(address: [0xfd, 0x61] + Array(repeating: 0, count: 14), prefixLength: 64)))
    static let tlsCrypt: TLSCryptKey = {
        (try? TLSCryptKey(bytes: (0..<256).map { UInt8(($0 * 7 + 3) % 256) })) ?? (try! TLSCryptKey(bytes: Array(repeating: 0, count: 256)))
    }()

    static func check(_ rendered: String, _ name: String) throws {
        let url = golden.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1" {
            try rendered.write(to: url, atomically: true, encoding: .utf8)
        }
        let expected = try String(contentsOf: url, encoding: .utf8)
        #expect(rendered == expected, "\(name) differs from its golden file")
    }

    static func client(preferTCP: Bool, exposedTCP: [Int] = []) -> String {
        var settings = profile.openVPN
        settings?.exposedTCPPorts = exposedTCP
        var generator = SeededGenerator(seed: 42)
        return ClientConfigRenderer.render(
            .init(
                profile: profile, settings: settings ?? fullTunnel.openVPN!, node: node, caPEM: "CA-PEM\n",
                certificatePEM: "CLIENT-CERT-PEM\n", privateKeyPEM: "CLIENT-KEY-PEM\n", tlsCrypt: tlsCrypt,
                expiresAt: 1_800_000_000, portalURL: "https://vpn.example.org/", preferTCP: preferTCP),
            using: &generator)
    }

    @Test func clientUDPFirst() throws {
        try Self.check(Self.client(preferTCP: false), "client-udp-first.ovpn")
    }

    @Test func clientPreferTCPWithExposedPorts() throws {
        try Self.check(Self.client(preferTCP: true, exposedTCP: [8080, 443]), "client-prefer-tcp.ovpn")
    }

    @Test func remotesPickOneNormalAndOneSpecialPortPerTransport() {
        for seed in 0..<50 as Range<UInt64> {
            var generator = SeededGenerator(seed: seed)
            let text = ClientConfigRenderer.render(
                .init(
                    profile: Self.profile, settings: Self.profile.openVPN!, node: Self.node, caPEM: "", certificatePEM: "",
                    privateKeyPEM: "", tlsCrypt: Self.tlsCrypt, expiresAt: 0, portalURL: "", preferTCP: false),
                using: &generator)
            let remotes = text.split(separator: "\n").filter { $0.hasPrefix("remote ") }.map { $0.split(separator: " ") }
            #expect(remotes.map { String($0[3]) } == ["udp", "udp", "tcp", "tcp"])
            #expect([1194, 1195].contains(Int(remotes[0][2]) ?? 0) && remotes[1][2] == "53")
            #expect([1194, 1195, 8443].contains(Int(remotes[2][2]) ?? 0) && [80, 443].contains(Int(remotes[3][2]) ?? 0))
        }
    }

    static func servers(_ profile: VPNProfile, node: ProfileNode) throws -> String {
        let settings = try #require(profile.openVPN)
        let plan = try AddressPlan(profileID: profile.id, settings: settings, nodeIDs: profile.nodes.map(\.id))
        return plan.processes(onNode: node.id).enumerated().map { tun, process in
            "### \(profile.id)-\(process.index)\n"
                + ServerConfigRenderer.render(
                    .init(
                        profile: profile, process: process, node: node, tunIndex: tun,
                        managementSocket: "/run/portolan/openvpn/\(profile.id)-\(process.index).sock", caPEM: "CA-PEM\n",
                        certificatePEM: "SERVER-CERT-PEM\n", privateKeyPEM: "SERVER-KEY-PEM\n", tlsCrypt: tlsCrypt,
                        dropPrivilegesTo: ("nobody", "nogroup"), clientConnectScript: "/usr/libexec/portolan/client-connect",
                        clientDisconnectScript: "/usr/libexec/portolan/client-disconnect"))
        }.joined(separator: "\n")
    }

    @Test func serverProcessesSplitTunnelIPv4AndIPv6() throws {
        try Self.check(try Self.servers(Self.profile, node: Self.node), "server-office-node-a.conf")
        try Self.check(try Self.servers(Self.profile, node: Self.profile.nodes[1]), "server-office-node-b.conf")
    }

    @Test func serverProcessesFullTunnel() throws {
        try Self.check(try Self.servers(Self.fullTunnel, node: Self.node), "server-everything.conf")
    }
}
