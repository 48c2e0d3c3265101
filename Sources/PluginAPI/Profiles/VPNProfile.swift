/// A VPN profile: who may use it, on which nodes, and the network it gives them.
///
/// ```swift
/// VPNProfile(
///     id: "employees", displayName: "Employees", requiredPermissions: ["staff"],
///     nodes: [ProfileNode(id: "node-a", hostName: "vpn.example.org")],
///     openVPN: OpenVPNProfileSettings(ipv4Range: try IPNetwork(parsing: "10.42.0.0/24"),
///                                     ipv6Range: try IPNetwork(parsing: "fd42::/64")))
/// ```
public struct VPNProfile: Sendable, Hashable {
    /// The default session expiry: 90 days, as the reference server.
    public static let defaultSessionExpiry: Int64 = 90 * 86_400

    /// The profile id: lower-case letters, digits, `-` and `_` (as the eduVPN API expects).
    public var id: String
    /// The name shown in apps and the portal.
    public var displayName: String
    /// Permissions of which the user needs at least one; `nil` lets everyone in, an empty list nobody.
    public var requiredPermissions: [String]?
    /// Whether all traffic goes through the VPN (`true`) or only ``routes`` (split tunnel).
    public var defaultGateway: Bool
    /// DNS servers pushed to clients; `@GW4@` / `@GW6@` stand for the gateway address of the client's range.
    public var dnsServers: [String]
    /// DNS search domains; when set, DNS is pushed even for a split tunnel.
    public var dnsSearchDomains: [String]
    /// Networks routed through the VPN (split tunnel).
    public var routes: [IPNetwork]
    /// Networks kept out of the VPN.
    public var excludedRoutes: [IPNetwork]
    /// Whether clients may not reach their local network while connected (`block-local`).
    public var blockLAN: Bool
    /// The nodes that serve the profile, in order; the first gets the first part of each range.
    public var nodes: [ProfileNode]
    /// The protocol apps should prefer when several are offered: `openvpn` or `wireguard`.
    public var preferredProtocol: String
    /// How long an authorization, and so a certificate, lasts for this profile (seconds).
    public var sessionExpiry: Int64
    /// OpenVPN settings, or `nil` when the profile does not offer OpenVPN.
    public var openVPN: OpenVPNProfileSettings?

    /// Creates a profile.
    /// - Parameters:
    ///   - id: the profile id.
    ///   - displayName: the shown name.
    ///   - requiredPermissions: `nil` for everyone; otherwise one of these is needed.
    ///   - defaultGateway: full tunnel when `true`.
    ///   - dnsServers: DNS servers to push.
    ///   - dnsSearchDomains: search domains to push.
    ///   - routes: routes to push for split tunnels.
    ///   - excludedRoutes: networks kept out of the tunnel.
    ///   - blockLAN: block the local network.
    ///   - nodes: the nodes serving the profile.
    ///   - preferredProtocol: `openvpn` or `wireguard`.
    ///   - sessionExpiry: authorization lifetime in seconds.
    ///   - openVPN: OpenVPN settings.
    public init(
        id: String,
        displayName: String,
        requiredPermissions: [String]? = nil,
        defaultGateway: Bool = true,
        dnsServers: [String] = [],
        dnsSearchDomains: [String] = [],
        routes: [IPNetwork] = [],
        excludedRoutes: [IPNetwork] = [],
        blockLAN: Bool = false,
        nodes: [ProfileNode] = [],
        preferredProtocol: String = "openvpn",
        sessionExpiry: Int64 = VPNProfile.defaultSessionExpiry,
        openVPN: OpenVPNProfileSettings? = nil
    ) {
        self.id = id
        self.displayName = displayName
        self.requiredPermissions = requiredPermissions
        self.defaultGateway = defaultGateway
        self.dnsServers = dnsServers
        self.dnsSearchDomains = dnsSearchDomains
        self.routes = routes
        self.excludedRoutes = excludedRoutes
        self.blockLAN = blockLAN
        self.nodes = nodes
        self.preferredProtocol = preferredProtocol
        self.sessionExpiry = sessionExpiry
        self.openVPN = openVPN
    }

    /// Whether a user with `permissions` may use the profile.
    /// - Parameter permissions: the user's permissions.
    /// - Returns: `true` when the profile is open to everyone or the user holds one of the required permissions.
    public func permits(_ permissions: Set<String>) -> Bool {
        guard let requiredPermissions else { return true }
        return requiredPermissions.contains { permissions.contains($0) }
    }

    /// The node called `id`, if it serves this profile.
    /// - Parameter id: a node id.
    public func node(_ id: String) -> ProfileNode? { nodes.first { $0.id == id } }

    /// Whether `text` is a valid profile id.
    /// - Parameter text: the candidate.
    /// - Returns: `true` for 1 to 64 lower-case letters, digits, `-` and `_`, starting with a letter or digit.
    public static func isValidID(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 64, first != "-", first != "_" else {
            return false
        }
        return text.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "_"
        }
    }
}

/// A node as one profile sees it: which machine, and the name clients connect to.
public struct ProfileNode: Sendable, Hashable {
    /// The node id, as the node registry knows it.
    public var id: String
    /// The DNS name (or address) clients put in `remote`.
    public var hostName: String
    /// The address OpenVPN binds to on the node: `::` (default, IPv4 and IPv6) or one address.
    public var listenAddress: String

    /// Creates a node entry.
    /// - Parameters:
    ///   - id: the node id.
    ///   - hostName: the name clients connect to.
    ///   - listenAddress: the bind address on the node.
    public init(id: String, hostName: String, listenAddress: String = "::") {
        self.id = id
        self.hostName = hostName
        self.listenAddress = listenAddress
    }
}

/// The OpenVPN part of a profile: address ranges and ports.
public struct OpenVPNProfileSettings: Sendable, Hashable {
    /// The IPv4 client range, split across nodes and then processes.
    public var ipv4Range: IPNetwork
    /// The IPv6 client range; every process gets a /112 of its node's part.
    public var ipv6Range: IPNetwork
    /// UDP ports, one OpenVPN process each.
    public var udpPorts: [Int]
    /// TCP ports, one OpenVPN process each.
    public var tcpPorts: [Int]
    /// UDP ports written into client configurations instead of ``udpPorts`` (behind NAT or sslh); empty for the same.
    public var exposedUDPPorts: [Int]
    /// TCP ports written into client configurations instead of ``tcpPorts``; empty for the same.
    public var exposedTCPPorts: [Int]

    /// Creates settings.
    /// - Parameters:
    ///   - ipv4Range: the IPv4 range.
    ///   - ipv6Range: the IPv6 range.
    ///   - udpPorts: UDP listen ports.
    ///   - tcpPorts: TCP listen ports.
    ///   - exposedUDPPorts: UDP ports for clients.
    ///   - exposedTCPPorts: TCP ports for clients.
    public init(
        ipv4Range: IPNetwork, ipv6Range: IPNetwork, udpPorts: [Int] = [1194], tcpPorts: [Int] = [1194],
        exposedUDPPorts: [Int] = [], exposedTCPPorts: [Int] = []
    ) {
        self.ipv4Range = ipv4Range
        self.ipv6Range = ipv6Range
        self.udpPorts = udpPorts
        self.tcpPorts = tcpPorts
        self.exposedUDPPorts = exposedUDPPorts
        self.exposedTCPPorts = exposedTCPPorts
    }

    /// The number of OpenVPN processes per node: one per UDP and TCP port.
    public var processCount: Int { udpPorts.count + tcpPorts.count }
}
