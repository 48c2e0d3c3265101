public import PluginAPI

/// The OpenVPN node backend.
///
/// In this release it only reserves its id and configuration section (`plugins.openvpn`, no keys yet): the
/// certificate authority, client and server configurations arrive with the profiles/CA work, and the process
/// management with the node daemon. It contributes nothing, so `/connect` has no OpenVPN backend yet.
public struct NodeOpenVPNPlugin: Plugin {
    /// No settings yet.
    public typealias Configuration = EmptyConfiguration

    /// `openvpn`.
    public static let id: PluginID = "openvpn"

    /// Builds the plugin.
    public init(configuration: EmptyConfiguration, context: PluginContext) {}

    /// Nothing yet.
    public var contributions: Contributions { Contributions() }
}
