import PluginAPI

/// How a node runs its VPN processes: the part of a node's configuration that `node.yaml` (a separate node) and
/// the `node` section of the controller's file (a node in-process) share.
struct NodeDaemonSettings: Sendable {
    /// Where management sockets and process configurations live (tmpfs, cleared at boot). Default `/run/portolan-node`.
    var runtimeDirectory: String
    /// Where the event journal, revocation list and last configuration persist. Default `/var/lib/portolan-node`.
    var stateDirectory: String
    /// `offline_policy`: new connections while the controller is unreachable: `allow` (checked against the
    /// certificate signature, expiry, profile and the node's revocation list) or `refuse`. Default `allow`.
    var allowOffline: Bool
    /// `listen`: the node's own mutual-TLS status API (`/v1/status`, `/v1/disconnect`), or `nil` for none.
    var listen: ListenAddress?
    /// `configuration_interval`: how often the node fetches its configuration (and applies changes). Default PT30S.
    var configurationInterval: Int64
    /// `reconcile_interval`: how often the node checks its connected clients against the store. Default PT30S.
    var reconcileInterval: Int64
    /// `openvpn.command`: the program and leading arguments that start OpenVPN. Default `[openvpn]`.
    var openVPNCommand: [String]
    /// `openvpn.user` / `openvpn.group`: who OpenVPN drops to after start; empty keeps root. Default nobody/nogroup.
    var dropPrivilegesTo: (user: String, group: String)?

    init(reader: ConfigReader, defaultStateDirectory: String, defaultRuntimeDirectory: String) throws {
        runtimeDirectory = try reader.string("runtime_directory", default: defaultRuntimeDirectory)
        stateDirectory = try reader.string("state_directory", default: defaultStateDirectory)
        for key in ["runtime_directory", "state_directory"] {
            let path = key == "runtime_directory" ? runtimeDirectory : stateDirectory
            guard path.hasPrefix("/"), Self.isSafePath(path) else {
                throw reader.error(key, "'\(path)' must be an absolute path of letters, digits and . _ - /")
            }
        }
        guard runtimeDirectory.utf8.count <= 80 else {
            throw reader.error("runtime_directory", "'\(runtimeDirectory)' is too long for unix sockets (at most 80 bytes)")
        }
        allowOffline = try reader.choice("offline_policy", ["allow", "refuse"], default: "allow") == "allow"
        listen = try reader.optionalString("listen").map { try ListenAddress(parsing: $0, key: reader.keyPath("listen")) }
        configurationInterval = try reader.duration("configuration_interval", default: "PT30S", range: 1...3_600)
        reconcileInterval = try reader.duration("reconcile_interval", default: "PT30S", range: 1...3_600)
        let openvpn = try reader.section("openvpn")
        openVPNCommand = try openvpn.stringList("command", default: ["openvpn"])
        guard !openVPNCommand.isEmpty, !openVPNCommand[0].isEmpty else { throw openvpn.error("command", "must name a program") }
        let user = try openvpn.string("user", default: "nobody")
        let group = try openvpn.string("group", default: "nogroup")
        for (key, value) in [("user", user), ("group", group)] where !value.utf8.allSatisfy(Self.isNameByte) {
            throw openvpn.error(key, "'\(value)' may hold letters, digits and _ only")
        }
        dropPrivilegesTo = user.isEmpty ? nil : (user, group.isEmpty ? user : group)
    }

    static func isSafePath(_ text: String) -> Bool {
        !text.contains("..") && text.utf8.allSatisfy { isNameByte($0) || $0 == 0x2F || $0 == 0x2E || $0 == 0x2D }
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A) || byte == 0x5F
    }
}
