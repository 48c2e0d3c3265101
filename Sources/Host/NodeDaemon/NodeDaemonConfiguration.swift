import Foundation
import PluginAPI

/// A node's configuration file (`node.yaml`), written by `portolan node join` and read by `portolan node run`.
struct NodeDaemonConfiguration: Sendable {
    /// `controller_url`: the controller's node channel, `https://HOST:PORT`.
    var controllerURL: String
    /// `node_id`.
    var nodeID: String
    /// `certificate_file`, `key_file`, `ca_file`: the node's identity and the node CA, PEM.
    var certificateFile: String
    var keyFile: String
    var caFile: String
    var settings: NodeDaemonSettings

    /// Reads and validates `path`; unknown keys are errors.
    static func load(path: String) throws -> NodeDaemonConfiguration {
        let root = try ConfigFile.load(path: path)
        let tracker = ConfigKeyTracker()
        let reader = ConfigReader(root: root, environment: [:], tracker: tracker)
        let url = try reader.string("controller_url")
        guard url.hasPrefix("https://"), URLComponents(string: url)?.host?.isEmpty == false else {
            throw reader.error("controller_url", "'\(url)' is not an https:// URL")
        }
        let nodeID = try reader.string("node_id")
        guard NodeID.isValid(nodeID) else { throw reader.error("node_id", "'\(nodeID)' is not a node id") }
        let configuration = NodeDaemonConfiguration(
            controllerURL: url, nodeID: nodeID, certificateFile: try reader.string("certificate_file"),
            keyFile: try reader.string("key_file"), caFile: try reader.string("ca_file"),
            settings: try NodeDaemonSettings(
                reader: reader, defaultStateDirectory: "/var/lib/portolan-node", defaultRuntimeDirectory: "/run/portolan-node"))
        if let unknown = tracker.unreadKeys(in: root).first { throw ConfigError(key: unknown, problem: "unknown key") }
        return configuration
    }

    /// The YAML `portolan node join` writes.
    static func yaml(controllerURL: String, nodeID: String, directory: String) -> String {
        """
        # Written by `portolan node join`. Start the node with: portolan node run --config \(directory)/node.yaml
        controller_url: \(controllerURL)
        node_id: \(nodeID)
        certificate_file: \(directory)/node.crt
        key_file: \(directory)/node.key
        ca_file: \(directory)/node-ca.crt
        state_directory: \(directory)/state
        runtime_directory: /run/portolan-node
        offline_policy: allow        # or refuse: new VPN connections while the controller is unreachable
        # listen: "[::]:41194"       # the node's own mutual-TLS status API
        # configuration_interval: PT30S
        openvpn:
          command: [openvpn]
          user: nobody
          group: nogroup

        """
    }
}
