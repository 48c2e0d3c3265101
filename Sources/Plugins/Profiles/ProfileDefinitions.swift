import PluginAPI

/// Reads and validates profile definitions from the configuration.
enum ProfileDefinitions {
    /// The profile a fresh installation starts with: everyone, full tunnel, 10.42.42.0/24 and fd42:4242:4242:4242::/64.
    static let defaultProfile = VPNProfile(
        id: "default", displayName: "Default", defaultGateway: true,
        ipv4Range: IPNetwork(address: [10, 42, 42, 0], prefixLength: 24),
        ipv6Range: IPNetwork(address: [0xFD, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0, 0, 0, 0, 0, 0, 0, 0], prefixLength: 64),
        dnsServers: ["9.9.9.9", "2620:fe::fe"])

    static func read(from reader: ConfigReader) throws -> [VPNProfile] {
        var profiles: [VPNProfile] = []
        for section in try reader.sections("profiles") {
            let id = try section.string("id")
            guard VPNProfile.isValidID(id) else {
                throw section.error("id", "'\(id)' is not a valid profile id (lower-case letters, digits, - and _)")
            }
            guard !profiles.contains(where: { $0.id == id }) else {
                throw section.error("id", "the profile id '\(id)' is used twice")
            }
            let ipv4 = try section.optionalNetwork("ipv4_range")
            let ipv6 = try section.optionalNetwork("ipv6_range")
            if let ipv4, !ipv4.isIPv4 { throw section.error("ipv4_range", "'\(ipv4)' is not an IPv4 network") }
            if let ipv6, ipv6.isIPv4 { throw section.error("ipv6_range", "'\(ipv6)' is not an IPv6 network") }
            if let ipv4, ipv4.prefixLength > 29 {
                throw section.error("ipv4_range", "'\(ipv4)' is too small; use /29 or larger")
            }
            if let ipv6, ipv6.prefixLength > 112 {
                throw section.error("ipv6_range", "'\(ipv6)' is too small; use /112 or larger")
            }
            for other in profiles {
                for (key, mine, theirs) in [("ipv4_range", ipv4, other.ipv4Range), ("ipv6_range", ipv6, other.ipv6Range)] {
                    if let mine, let theirs, mine.overlaps(theirs) {
                        throw section.error(key, "\(mine) overlaps \(theirs) of profile '\(other.id)'")
                    }
                }
            }
            let dns = try section.stringList("dns")
            for (index, server) in dns.enumerated() where IPNetwork.parseAddress(server) == nil {
                throw ConfigError(key: "\(section.keyPath("dns"))[\(index)]", problem: "'\(server)' is not an IP address")
            }
            profiles.append(
                VPNProfile(
                    id: id, displayName: try section.string("display_name", default: id),
                    requiredPermissions: try section.stringList("required_permissions"),
                    defaultGateway: try section.bool("default_gateway", default: true),
                    ipv4Range: ipv4, ipv6Range: ipv6, dnsServers: dns, routes: try section.networkList("routes")))
        }
        return profiles
    }
}
