/// A VPN profile: who may use it, and the network it gives them.
///
/// ```swift
/// VPNProfile(id: "employees", displayName: "Employees", ipv4Range: try IPNetwork(parsing: "10.42.0.0/24"))
/// ```
public struct VPNProfile: Sendable, Hashable {
    /// The profile id: lower-case letters, digits, `-` and `_` (as the eduVPN API expects).
    public var id: String
    /// The name shown in apps and the portal.
    public var displayName: String
    /// Permissions of which the user needs at least one; empty means everyone may use the profile.
    public var requiredPermissions: [String]
    /// Whether all traffic goes through the VPN (`true`) or only ``routes`` (split tunnel).
    public var defaultGateway: Bool
    /// The IPv4 client range.
    public var ipv4Range: IPNetwork?
    /// The IPv6 client range.
    public var ipv6Range: IPNetwork?
    /// DNS servers pushed to clients.
    public var dnsServers: [String]
    /// Routes pushed to clients when ``defaultGateway`` is `false`.
    public var routes: [IPNetwork]

    /// Creates a profile.
    /// - Parameters:
    ///   - id: the profile id.
    ///   - displayName: the shown name.
    ///   - requiredPermissions: permissions of which one is needed; empty for everyone.
    ///   - defaultGateway: full tunnel when `true`.
    ///   - ipv4Range: the IPv4 client range.
    ///   - ipv6Range: the IPv6 client range.
    ///   - dnsServers: DNS servers to push.
    ///   - routes: routes to push for split tunnels.
    public init(
        id: String,
        displayName: String,
        requiredPermissions: [String] = [],
        defaultGateway: Bool = true,
        ipv4Range: IPNetwork? = nil,
        ipv6Range: IPNetwork? = nil,
        dnsServers: [String] = [],
        routes: [IPNetwork] = []
    ) {
        self.id = id
        self.displayName = displayName
        self.requiredPermissions = requiredPermissions
        self.defaultGateway = defaultGateway
        self.ipv4Range = ipv4Range
        self.ipv6Range = ipv6Range
        self.dnsServers = dnsServers
        self.routes = routes
    }

    /// Whether `identity` may use the profile.
    /// - Parameter permissions: the user's permissions.
    /// - Returns: `true` when no permission is required or the user holds one of them.
    public func permits(_ permissions: Set<String>) -> Bool {
        requiredPermissions.isEmpty || requiredPermissions.contains { permissions.contains($0) }
    }

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
