public import PluginAPI

/// A plugin type, erased so that the host can list plugins of different configuration types together.
public struct PluginRegistration: Sendable {
    /// The plugin's id.
    public let id: PluginID
    /// Whether it runs when the configuration does not mention it.
    public let enabledByDefault: Bool
    let readConfiguration: @Sendable (ConfigReader) throws -> any Sendable
    let build: @Sendable (any Sendable, PluginContext) throws -> LoadedPlugin

    /// Registers `type`.
    public init<P: Plugin>(_ type: P.Type) {
        id = P.id
        enabledByDefault = P.enabledByDefault
        readConfiguration = { try P.readConfiguration(from: $0) }
        build = { configuration, context in
            guard let configuration = configuration as? P.Configuration else {
                throw PluginError(.internalError, "plugin \(P.id) got a configuration of the wrong type")
            }
            let plugin = try P(configuration: configuration, context: context)
            return LoadedPlugin(id: P.id, contributions: plugin.contributions, context: context) { context in
                try await plugin.prepare(context: context)
            }
        }
    }
}

/// A built plugin: its contributions and its prepare step.
struct LoadedPlugin: Sendable {
    let id: PluginID
    let contributions: Contributions
    let context: PluginContext
    let prepare: @Sendable (PluginContext) async throws -> Void
}
