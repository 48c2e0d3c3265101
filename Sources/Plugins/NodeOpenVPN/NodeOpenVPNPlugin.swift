import Logging
public import PluginAPI

/// The OpenVPN node backend: its certificate authority, client `.ovpn` files and server configurations.
///
/// Configuration (`plugins.openvpn`):
/// - `key_type`: `ed25519` (default) or `p256`, for the CA and every certificate; fixed once the CA exists
/// - `ca_validity_days`: the CA's lifetime when it is created (default 3650)
///
/// The CA is created at the first boot and kept sealed in the store, so every replica issues with it.
public struct NodeOpenVPNPlugin: Plugin {
    /// The plugin's settings.
    public struct Configuration: Sendable {
        /// `ed25519` or `p256`.
        public var keyType: String
        /// The CA lifetime in days, used when the CA is created.
        public var caValidityDays: Int
    }

    /// `openvpn`.
    public static let id: PluginID = "openvpn"

    /// Reads `key_type` and `ca_validity_days`.
    public static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        Configuration(
            keyType: try reader.choice("key_type", CAKeyType.allCases.map(\.rawValue), default: "ed25519"),
            caValidityDays: try reader.int("ca_validity_days", default: 3650, range: 30...36500))
    }

    private let backend: OpenVPNBackend
    private let configuredKeyType: CAKeyType

    /// Builds the plugin.
    public init(configuration: Configuration, context: PluginContext) {
        configuredKeyType = CAKeyType(rawValue: configuration.keyType) ?? .ed25519
        let authorities = CAStore(
            secrets: context.secrets, keyType: configuredKeyType, validity: Int64(configuration.caValidityDays) * 86_400,
            clock: context.clock)
        backend = OpenVPNBackend(authorities: authorities, clock: context.clock)
    }

    /// The OpenVPN backend and its table.
    public var contributions: Contributions {
        Contributions(nodeBackends: [backend], migrations: OpenVPNBackend.migrations)
    }

    /// Creates (or loads) the CA, so that the first start makes every key.
    public func prepare(context: PluginContext) async throws {
        let authority = try await backend.authorities.authority()
        if authority.keyType != configuredKeyType {
            context.logger.warning(
                "the CA exists with another key type; keeping it",
                metadata: ["ca.key_type": "\(authority.keyType.rawValue)"])
        }
    }
}
