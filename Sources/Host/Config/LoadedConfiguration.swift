import PluginAPI

/// The whole validated configuration: the host's settings and each enabled plugin's typed configuration.
struct LoadedConfiguration: Sendable {
    /// One enabled plugin, ready to build.
    struct EnabledPlugin: Sendable {
        let registration: PluginRegistration
        let configuration: any Sendable
    }

    let host: HostConfiguration
    let plugins: [EnabledPlugin]

    /// Reads and validates everything: host keys, `plugins.<id>` sections, and rejects keys nobody reads.
    /// - Parameters:
    ///   - path: the configuration file, or `nil` for defaults only.
    ///   - environment: the process environment.
    ///   - overrides: command-line flags.
    ///   - registrations: the plugins this process knows.
    /// - Throws: ``ConfigError`` naming the first bad key.
    static func load(
        path: String?, environment: [String: String], overrides: HostConfiguration.Overrides,
        registrations: [PluginRegistration]
    ) throws -> LoadedConfiguration {
        let root = try path.map { try ConfigFile.load(path: $0) } ?? .emptyMap
        return try load(root: root, environment: environment, overrides: overrides, registrations: registrations)
    }

    /// As ``load(path:environment:overrides:registrations:)`` from a parsed tree.
    static func load(
        root: ConfigNode, environment: [String: String], overrides: HostConfiguration.Overrides,
        registrations: [PluginRegistration]
    ) throws -> LoadedConfiguration {
        let tracker = ConfigKeyTracker()
        let reader = ConfigReader(root: root, environment: environment, tracker: tracker)
        let host = try HostConfiguration(reader: reader, environment: environment, overrides: overrides)

        let pluginsSection = try reader.section("plugins")
        if case .map(let entries)? = pluginsSection.node {
            let known = Set(registrations.map(\.id.rawValue))
            for entry in entries where !known.contains(entry.key) {
                throw pluginsSection.error(
                    entry.key, "unknown plugin (known: \(registrations.map(\.id.rawValue).joined(separator: ", ")))")
            }
        }
        var enabled: [EnabledPlugin] = []
        for registration in registrations {
            let section = try pluginsSection.section(registration.id.rawValue)
            guard try section.bool("enabled", default: registration.enabledByDefault) else {
                tracker.ignoreSubtree(section.path)
                continue
            }
            enabled.append(EnabledPlugin(registration: registration, configuration: try registration.readConfiguration(section)))
        }
        if let unknown = tracker.unreadKeys(in: root).first {
            throw ConfigError(key: unknown, problem: "unknown key")
        }
        return LoadedConfiguration(host: host, plugins: enabled)
    }
}
