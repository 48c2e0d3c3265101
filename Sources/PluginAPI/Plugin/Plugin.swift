/// A unit of functionality that the host loads at boot: an authentication method, a profile source,
/// a VPN node backend, or anything that contributes one of those capabilities.
///
/// The host lists its built-in plugins in one place, reads each enabled plugin's configuration section
/// (`plugins.<id>`) through ``readConfiguration(from:)``, builds the plugin with ``init(configuration:context:)``,
/// applies its ``Contributions/migrations``, calls ``prepare(context:)`` and then freezes the registry.
///
/// ```swift
/// struct HelloAuthPlugin: Plugin {
///     static let id: PluginID = "hello-auth"
///     struct Configuration: Sendable { var password: String }
///     static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
///         Configuration(password: try reader.secret("password"))
///     }
///     let configuration: Configuration
///     init(configuration: Configuration, context: PluginContext) { self.configuration = configuration }
///     var contributions: Contributions {
///         Contributions(authProviders: [ClosureAuthProvider(id: "hello") { credentials, _ in
///             credentials.password.matches(configuration.password) ? Identity(userID: credentials.username, authProvider: "hello") : nil
///         }])
///     }
/// }
/// ```
/// > Important: `init` must not start work (no tasks, no I/O); use ``prepare(context:)`` for that.
public protocol Plugin: Sendable {
    /// The plugin's typed configuration, read once at boot.
    associatedtype Configuration: Sendable

    /// The plugin's stable identifier.
    static var id: PluginID { get }

    /// Whether the plugin runs when the configuration file does not mention it. Defaults to `true`.
    static var enabledByDefault: Bool { get }

    /// Reads and validates the plugin's configuration section.
    /// - Parameter reader: a reader scoped to `plugins.<id>`; every key it does not read is reported as unknown.
    /// - Returns: the typed configuration.
    /// - Throws: ``ConfigError`` naming the key and the problem.
    static func readConfiguration(from reader: ConfigReader) throws -> Configuration

    /// Builds the plugin. Called once at boot.
    /// - Parameters:
    ///   - configuration: the value ``readConfiguration(from:)`` returned.
    ///   - context: the plugin's logger, store, secrets and clock.
    /// - Throws: any error stops the boot with a message naming the plugin.
    init(configuration: Configuration, context: PluginContext) throws

    /// The capabilities this plugin adds to the host. Read once, after `init`.
    var contributions: Contributions { get }

    /// Runs once after the plugin's migrations were applied and before the host serves requests,
    /// for example to seed the store or to create keys.
    /// - Parameter context: the same context the plugin was built with.
    /// - Throws: any error stops the boot.
    func prepare(context: PluginContext) async throws
}

extension Plugin {
    /// Plugins are enabled unless the configuration says otherwise.
    public static var enabledByDefault: Bool { true }

    /// Nothing to prepare.
    public func prepare(context: PluginContext) async throws {}
}

extension Plugin where Configuration == EmptyConfiguration {
    /// A plugin without settings reads nothing, so any key in its section is reported as unknown.
    public static func readConfiguration(from reader: ConfigReader) throws -> EmptyConfiguration {
        EmptyConfiguration()
    }
}

/// The configuration of a plugin that has no settings.
public struct EmptyConfiguration: Sendable, Equatable {
    /// Creates the empty configuration.
    public init() {}
}
