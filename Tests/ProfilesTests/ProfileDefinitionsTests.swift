import Foundation
import PluginAPI
import Testing

@testable import ProfilesPlugin

/// Profile definitions as operators write them (YAML-shaped trees), and the one-line errors they get.
@Suite("Profile definitions")
struct ProfileDefinitionsTests {
    /// A tiny YAML-ish builder: maps of scalars, lists and nested maps.
    indirect enum V {
        case s(String)
        case l([V])
        case m([(String, V)])
        var node: ConfigNode {
            switch self {
            case .s(let text): .scalar(text)
            case .l(let items): .list(items.map(\.node))
            case .m(let pairs): .map(pairs.map { ($0.0, $0.1.node) })
            }
        }
    }

    static let nodes = V.l([
        .m([("id", .s("a")), ("host_name", .s("vpn-a.example.org"))]),
        .m([("id", .s("b")), ("host_name", .s("vpn-b.example.org"))]),
    ])

    static func profile(_ id: String, v4: String = "10.0.0.0/24", v6: String = "fd00::/64", _ extra: [(String, V)] = [], openvpn: [(String, V)] = []) -> V {
        .m([("id", .s(id))] + extra + [("openvpn", .m([("ipv4_range", .s(v4)), ("ipv6_range", .s(v6))] + openvpn))])
    }

    func read(_ profiles: [V], nodes: V = nodes) throws -> [VPNProfile] {
        let tree = V.m([("nodes", nodes), ("profiles", .l(profiles))]).node
        return try ProfilesPlugin.readConfiguration(from: ConfigReader(root: tree, environment: [:], tracker: ConfigKeyTracker())).profiles
    }

    func failure(_ profiles: [V]) throws -> ConfigError {
        do {
            _ = try read(profiles)
        } catch let error as ConfigError {
            return error
        }
        Issue.record("accepted")
        return ConfigError(key: "", problem: "")
    }

    @Test func readsEveryOption() throws {
        let profiles = try read([
            Self.profile(
                "office", v4: "10.8.0.0/24", v6: "fd08::/64",
                [
                    ("display_name", .s("Office")), ("required_permissions", .l([.s("staff")])),
                    ("default_gateway", .s("false")), ("dns", .l([.s("@GW4@"), .s("2620:fe::fe")])),
                    ("dns_search_domains", .l([.s("example.org")])), ("routes", .l([.s("192.0.2.0/24")])),
                    ("excluded_routes", .l([.s("192.0.2.128/25")])), ("block_lan", .s("true")), ("nodes", .l([.s("b")])),
                    ("session_expiry", .s("P1DT12H")),
                ],
                openvpn: [("udp_ports", .l([.s("1194"), .s("53")])), ("tcp_ports", .l([.s("1194"), .s("443")])), ("exposed_tcp_ports", .l([.s("8443")]))])
        ])
        let office = try #require(profiles.first)
        #expect(office.displayName == "Office")
        #expect(office.requiredPermissions == ["staff"])
        #expect(!office.defaultGateway && office.blockLAN)
        #expect(office.dnsServers == ["@GW4@", "2620:fe::fe"] && office.dnsSearchDomains == ["example.org"])
        #expect(office.excludedRoutes.map(\.description) == ["192.0.2.128/25"])
        #expect(office.nodes.map(\.id) == ["b"])
        #expect(office.sessionExpiry == 36 * 3600)
        #expect(office.openVPN?.udpPorts == [1194, 53])
        #expect(office.openVPN?.exposedTCPPorts == [8443])
    }

    @Test func defaultsAreTheReferenceOnes() throws {
        let plain = try #require(try read([Self.profile("plain")]).first)
        #expect(plain.requiredPermissions == nil && plain.defaultGateway && plain.sessionExpiry == 90 * 86400)
        #expect(plain.nodes.map(\.id) == ["a", "b"], "all nodes by default")
        #expect(plain.openVPN?.udpPorts == [1194] && plain.openVPN?.tcpPorts == [1194])
        let closed = try #require(try read([Self.profile("closed", [("required_permissions", .l([]))])]).first)
        #expect(closed.requiredPermissions == [], "an empty ACL lets nobody in")
    }

    @Test(arguments: [
        ("malformed id", [ProfileDefinitionsTests.profile("Office!")], "plugins.x", "'Office!' is not a valid profile id"),
        ("unknown node", [ProfileDefinitionsTests.profile("p", [("nodes", .l([.s("a"), .s("zz")]))])], "nodes[1]",
         "profile 'p': unknown node 'zz' (known: a, b)"),
        ("port out of range", [ProfileDefinitionsTests.profile("p", openvpn: [("udp_ports", .l([.s("70000")]))])], "openvpn.udp_ports[0]",
         "profile 'p': port '70000' is out of range 1...65535"),
        ("process count", [ProfileDefinitionsTests.profile("p", openvpn: [("udp_ports", .l([.s("1"), .s("2")])), ("tcp_ports", .l([.s("3")]))])],
         "openvpn.udp_ports", "profile 'p': 3 OpenVPN processes (UDP + TCP ports) do not fit"),
        ("IPv4 too small", [ProfileDefinitionsTests.profile("p", v4: "10.0.0.0/28")], "openvpn.ipv4_range",
         "profile 'p': 10.0.0.0/28 is too small for 2 node(s) × 2 processes: each process needs at least a /29, so use a /27 or larger"),
        ("IPv6 too small", [ProfileDefinitionsTests.profile("p", v6: "fd00::/111")], "openvpn.ipv6_range",
         "profile 'p': fd00::/111 is too small for 2 node(s) × 2 processes of a /112 each: use a /110 or larger"),
        ("overlap", [ProfileDefinitionsTests.profile("p"), ProfileDefinitionsTests.profile("q", v4: "10.0.0.128/25", v6: "fd01::/64")],
         "profiles[1].openvpn.ipv4_range", "profile 'q': 10.0.0.128/25 overlaps 10.0.0.0/24 of profile 'p'"),
        ("same port", [ProfileDefinitionsTests.profile("p"), ProfileDefinitionsTests.profile("q", v4: "10.1.0.0/24", v6: "fd01::/64")],
         "profiles[1].openvpn.udp_ports", "profile 'q': port 1194 is also used by profile 'p' on node 'a'"),
        ("no protocol", [V.m([("id", .s("p"))])], "profiles[0].openvpn", "profile 'p': offers no VPN protocol"),
        ("bad expiry", [ProfileDefinitionsTests.profile("p", [("session_expiry", .s("90 days"))])], "session_expiry", "profile 'p': '90 days'"),
        ("overflowing expiry", [ProfileDefinitionsTests.profile("p", [("session_expiry", .s("P106751991167300DT106751991167300D"))])],
         "session_expiry", "profile 'p': 'P106751991167300DT"),
        ("directive in display name", [ProfileDefinitionsTests.profile("p", [("display_name", .s("x\nscript-security 3"))])],
         "display_name", "profile 'p': must not contain line breaks"),
        ("quote in search domain", [ProfileDefinitionsTests.profile("p", [("dns_search_domains", .l([.s("a.org\" x")]))])],
         "dns_search_domains[0]", "profile 'p': 'a.org\" x' is not a DNS name"),
    ] as [(String, [V], String, String)])
    func rejects(_ name: String, _ profiles: [V], _ keySuffix: String, _ problemPrefix: String) throws {
        let error = try failure(profiles)
        if keySuffix != "plugins.x" { #expect(error.key.hasSuffix(keySuffix), "\(name): \(error.key)") }
        #expect(error.problem.hasPrefix(problemPrefix), "\(name): \(error.problem)")
        #expect(!error.description.contains("\n"))
    }

    @Test func nodeHostNamesMustBeNamesOrAddresses() throws {
        for bad in ["vpn example.org", "vpn.example.org\nremote evil 1", "-vpn.org", "a..b"] {
            let nodes = V.l([.m([("id", .s("a")), ("host_name", .s(bad))])])
            do {
                _ = try read([Self.profile("p")], nodes: nodes)
                Issue.record("accepted host name \(bad)")
            } catch let error as ConfigError {
                #expect(error.key == "nodes[0].host_name")
            }
        }
        for good in ["vpn.example.org", "198.51.100.7", "2001:db8::1", "localhost"] {
            let nodes = V.l([.m([("id", .s("a")), ("host_name", .s(good))])])
            #expect(try read([Self.profile("p")], nodes: nodes).first?.nodes.first?.hostName == good)
        }
    }

    @Test func storedFormRoundTrips() throws {
        let original = try #require(try read([
            Self.profile("x", [("required_permissions", .l([.s("p")])), ("routes", .l([.s("192.0.2.0/24")]))],
                         openvpn: [("exposed_udp_ports", .l([.s("443")]))])
        ]).first)
        #expect(try StoredProfile.decode(try StoredProfile.encode(original)) == original)
    }

    @Test func isoDurations() {
        #expect(ISO8601Duration.seconds("P90D") == Int64(90 * 86400))
        #expect(ISO8601Duration.seconds("PT30M") == Int64(1800))
        #expect(ISO8601Duration.seconds("P1W") == Int64(7 * 86400))
        #expect(ISO8601Duration.seconds("P1DT1H1M1S") == Int64(90061))
        for bad in ["", "P", "90D", "P1Y", "PT", "P1H", "PT1D", "P-1D", "P1DT", "P106751991167300DT106751991167300D", "P99999999999999999999D"] { #expect(ISO8601Duration.seconds(bad) == nil, "\(bad)") }
    }
}
