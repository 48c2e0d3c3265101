import PluginAPI

/// Reads and validates the profiles and nodes of `plugins.profiles`.
///
/// Every problem is a ``ConfigError`` naming the key and, for profile problems, the profile.
enum ProfileDefinitions {
    /// The node a configuration without `nodes` runs on.
    static let defaultNode = ProfileNode(id: "local", hostName: "localhost")

    /// The profile a fresh installation starts with: everyone, full tunnel, 10.42.42.0/24 and
    /// fd42:4242:4242:4242::/64, UDP and TCP on 1194, on the default node.
    static let defaultProfile = VPNProfile(
        id: "default", displayName: "Default", defaultGateway: true, dnsServers: ["9.9.9.9", "2620:fe::fe"],
        nodes: [defaultNode],
        openVPN: OpenVPNProfileSettings(
            ipv4Range: IPNetwork(address: [10, 42, 42, 0], prefixLength: 24),
            ipv6Range: IPNetwork(
                address: [0xFD, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0, 0, 0, 0, 0, 0, 0, 0], prefixLength: 64)))

    static func read(from reader: ConfigReader) throws -> [VPNProfile] {
        let nodes = try readNodes(reader)
        var profiles: [VPNProfile] = []
        for section in try reader.sections("profiles") {
            let profile = try ProfileReader(section: section, nodes: nodes).read()
            try checkAgainstOthers(profile, others: profiles, section: section)
            profiles.append(profile)
        }
        return profiles
    }

    private static func readNodes(_ reader: ConfigReader) throws -> [ProfileNode] {
        var nodes: [ProfileNode] = []
        for section in try reader.sections("nodes") {
            let id = try section.string("id")
            guard VPNProfile.isValidID(id) else {
                throw section.error("id", "'\(id)' is not a valid node id (lower-case letters, digits, - and _)")
            }
            guard !nodes.contains(where: { $0.id == id }) else { throw section.error("id", "the node id '\(id)' is used twice") }
            let listen = try section.string("listen_address", default: "::")
            guard IPNetwork.parseAddress(listen) != nil else {
                throw section.error("listen_address", "'\(listen)' is not an IP address")
            }
            let hostName = try section.string("host_name")
            guard ConfigText.isHostName(hostName) || IPNetwork.parseAddress(hostName) != nil else {
                throw section.error("host_name", "'\(hostName)' is not a DNS name or IP address")
            }
            nodes.append(ProfileNode(id: id, hostName: hostName, listenAddress: listen))
        }
        return nodes.isEmpty ? [defaultNode] : nodes
    }

    /// Ranges may not overlap, and two profiles may not listen on the same port and transport on one node.
    private static func checkAgainstOthers(_ profile: VPNProfile, others: [VPNProfile], section: ConfigReader) throws {
        guard !others.contains(where: { $0.id == profile.id }) else {
            throw section.error("id", "the profile id '\(profile.id)' is used twice")
        }
        guard let mine = profile.openVPN else { return }
        let openvpn = try section.section("openvpn")
        for other in others {
            guard let theirs = other.openVPN else { continue }
            for (key, a, b) in [("ipv4_range", mine.ipv4Range, theirs.ipv4Range), ("ipv6_range", mine.ipv6Range, theirs.ipv6Range)]
            where a.overlaps(b) {
                throw openvpn.error(key, "profile '\(profile.id)': \(a) overlaps \(b) of profile '\(other.id)'")
            }
            let sharedNodes = Set(profile.nodes.map(\.id)).intersection(other.nodes.map(\.id))
            guard let node = sharedNodes.sorted().first else { continue }
            for (key, a, b) in [("udp_ports", mine.udpPorts, theirs.udpPorts), ("tcp_ports", mine.tcpPorts, theirs.tcpPorts)] {
                if let port = a.first(where: { b.contains($0) }) {
                    throw openvpn.error(key, "profile '\(profile.id)': port \(port) is also used by profile '\(other.id)' on node '\(node)'")
                }
            }
        }
    }
}
