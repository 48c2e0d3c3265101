import PluginAPI

/// `node.*` in the controller's file: `portolan serve` also runs a node in the same process (one machine with
/// OpenVPN installed is a whole VPN service), enrolled without a join token.
struct LocalNodeSettings: Sendable {
    /// `node.id`: the node id the profiles name. Default `local`.
    var nodeID: String
    var daemon: NodeDaemonSettings

    /// `nil` unless `node.enabled` is true.
    init?(reader: ConfigReader) throws {
        let enabled = try reader.bool("enabled", default: false)
        nodeID = try reader.string("id", default: "local")
        guard NodeID.isValid(nodeID) else {
            throw reader.error("id", "'\(nodeID)' is not a node id (lower-case letters, digits and -, at most 63)")
        }
        daemon = try NodeDaemonSettings(
            reader: reader, defaultStateDirectory: "/var/lib/portolan-node", defaultRuntimeDirectory: "/run/portolan-node")
        if !enabled { return nil }  // the other keys were read (and checked) all the same
    }
}
