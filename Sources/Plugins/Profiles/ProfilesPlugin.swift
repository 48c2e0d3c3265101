import Logging
public import PluginAPI

/// VPN profiles: defined in the configuration file, kept in the store so that every replica serves the same set.
///
/// At boot the configured profiles replace the stored ones. With none configured, a store without profiles gets
/// the ``ProfileDefinitions/defaultProfile``.
///
/// Configuration (`plugins.profiles`; the README lists every key):
/// ```yaml
/// nodes:
///   - id: node-a
///     host_name: vpn.example.org
/// profiles:
///   - id: employees
///     display_name: Employees
///     required_permissions: [staff]
///     openvpn:
///       ipv4_range: 10.42.0.0/24
///       ipv6_range: fd42::/64
/// ```
public struct ProfilesPlugin: Plugin {
    /// The configured profiles, validated.
    public struct Configuration: Sendable {
        /// The profiles in display order; empty means "keep the stored ones, or create the default".
        public var profiles: [VPNProfile]
    }

    /// `profiles`.
    public static let id: PluginID = "profiles"

    /// Reads and validates `profiles`.
    public static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        Configuration(profiles: try ProfileDefinitions.read(from: reader))
    }

    private let configuration: Configuration
    private let repository: ProfileRepository

    /// Builds the plugin.
    public init(configuration: Configuration, context: PluginContext) {
        self.configuration = configuration
        self.repository = ProfileRepository(store: context.store)
    }

    /// The profile provider and the table.
    public var contributions: Contributions {
        Contributions(profileProviders: [repository], migrations: ProfileRepository.migrations)
    }

    /// Writes the configured profiles to the store, or the default profile into an empty store.
    public func prepare(context: PluginContext) async throws {
        if configuration.profiles.isEmpty {
            if try await repository.seedIfEmpty(ProfileDefinitions.defaultProfile) {
                context.logger.info("created the default profile", metadata: ["profile.id": "default"])
            }
        } else {
            try await repository.replaceAll(configuration.profiles)
        }
    }
}
