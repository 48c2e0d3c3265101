import PluginAPI

/// Reads one entry of `plugins.profiles.profiles`; messages start with `profile 'ID':`.
struct ProfileReader {
    let section: ConfigReader
    let nodes: [ProfileNode]

    func read() throws -> VPNProfile {
        let id = try section.string("id")
        guard VPNProfile.isValidID(id) else {
            throw section.error("id", "'\(id)' is not a valid profile id (lower-case letters, digits, - and _, at most 64)")
        }
        func fail(_ key: String, _ problem: String) -> ConfigError { section.error(key, "profile '\(id)': \(problem)") }

        let nodeIDs = try section.stringList("nodes", default: nodes.map(\.id))
        let profileNodes = try nodeIDs.enumerated().map { index, nodeID in
            guard let node = nodes.first(where: { $0.id == nodeID }) else {
                throw ConfigError(
                    key: "\(section.keyPath("nodes"))[\(index)]",
                    problem: "profile '\(id)': unknown node '\(nodeID)' (known: \(nodes.map(\.id).joined(separator: ", ")))")
            }
            return node
        }
        guard !profileNodes.isEmpty else { throw fail("nodes", "lists no node") }
        guard Set(nodeIDs).count == nodeIDs.count else { throw fail("nodes", "lists a node twice") }

        let dns = try section.stringList("dns")
        for (index, server) in dns.enumerated() where IPNetwork.parseAddress(server) == nil && !["@GW4@", "@GW6@"].contains(server) {
            throw ConfigError(key: "\(section.keyPath("dns"))[\(index)]", problem: "profile '\(id)': '\(server)' is not an IP address, @GW4@ or @GW6@")
        }
        let searchDomains = try section.stringList("dns_search_domains")
        for (index, domain) in searchDomains.enumerated() where !ConfigText.isHostName(domain) {
            throw ConfigError(key: "\(section.keyPath("dns_search_domains"))[\(index)]", problem: "profile '\(id)': '\(domain)' is not a DNS name")
        }
        let expiry = try section.string("session_expiry", default: "P90D")
        guard let sessionExpiry = ISO8601Duration.seconds(expiry), sessionExpiry >= 300, sessionExpiry <= 3 * 365 * 86_400 else {
            throw fail("session_expiry", "'\(expiry)' is not an ISO 8601 duration between PT5M and P1095D (such as P90D or PT12H)")
        }
        let preferred = try section.choice("preferred_protocol", ["openvpn", "wireguard"], default: "openvpn")
        let openVPN = try readOpenVPN(id: id, nodeIDs: nodeIDs)
        guard openVPN != nil else { throw fail("openvpn", "offers no VPN protocol: add an openvpn section with ipv4_range and ipv6_range") }
        if preferred == "wireguard" { throw fail("preferred_protocol", "WireGuard is not available yet") }

        return VPNProfile(
            id: id, displayName: try displayName(id),
            requiredPermissions: section.contains("required_permissions") ? try section.stringList("required_permissions") : nil,
            defaultGateway: try section.bool("default_gateway", default: true), dnsServers: dns,
            dnsSearchDomains: searchDomains, routes: try section.networkList("routes"),
            excludedRoutes: try section.networkList("excluded_routes"), blockLAN: try section.bool("block_lan", default: false),
            nodes: profileNodes, preferredProtocol: preferred, sessionExpiry: sessionExpiry, openVPN: openVPN)
    }

    private func displayName(_ id: String) throws -> String {
        let name = try section.string("display_name", default: id)
        guard (1...64).contains(name.count) else {
            throw section.error("display_name", "profile '\(id)': must be 1 to 64 characters")
        }
        guard !name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) else {
            throw section.error("display_name", "profile '\(id)': must not contain line breaks or control characters")
        }
        return name
    }

    private func readOpenVPN(id: String, nodeIDs: [String]) throws -> OpenVPNProfileSettings? {
        guard section.contains("openvpn") else { return nil }
        let openvpn = try section.section("openvpn")
        func fail(_ key: String, _ problem: String) -> ConfigError { openvpn.error(key, "profile '\(id)': \(problem)") }
        guard let ipv4 = try openvpn.optionalNetwork("ipv4_range") else { throw fail("ipv4_range", "is required") }
        guard let ipv6 = try openvpn.optionalNetwork("ipv6_range") else { throw fail("ipv6_range", "is required") }
        guard ipv4.isIPv4 else { throw fail("ipv4_range", "\(ipv4) is not an IPv4 network") }
        guard !ipv6.isIPv4 else { throw fail("ipv6_range", "\(ipv6) is not an IPv6 network") }
        let settings = OpenVPNProfileSettings(
            ipv4Range: ipv4, ipv6Range: ipv6,
            udpPorts: try ports(openvpn, "udp_ports", id: id, default: [1194]),
            tcpPorts: try ports(openvpn, "tcp_ports", id: id, default: [1194]),
            exposedUDPPorts: try ports(openvpn, "exposed_udp_ports", id: id, default: []),
            exposedTCPPorts: try ports(openvpn, "exposed_tcp_ports", id: id, default: []))
        do {
            _ = try AddressPlan(profileID: id, settings: settings, nodeIDs: nodeIDs)
        } catch let error as AddressPlan.PlanError {
            throw fail(error.key, error.description)
        }
        return settings
    }

    private func ports(_ openvpn: ConfigReader, _ key: String, id: String, default defaultValue: [Int]) throws -> [Int] {
        let texts = try openvpn.stringList(key, default: defaultValue.map(String.init))
        let ports = try texts.enumerated().map { index, text in
            guard let port = Int(text), (1...65535).contains(port) else {
                throw ConfigError(key: "\(openvpn.keyPath(key))[\(index)]", problem: "profile '\(id)': port '\(text)' is out of range 1...65535")
            }
            return port
        }
        guard Set(ports).count == ports.count else { throw openvpn.error(key, "profile '\(id)': lists a port twice") }
        return ports
    }
}
