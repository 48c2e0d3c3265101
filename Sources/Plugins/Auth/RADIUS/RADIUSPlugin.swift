import Foundation
import Logging
public import PluginAPI

/// RADIUS login (PAP with Message-Authenticator): several servers tried in order, with a timeout and retries each.
///
/// ```yaml
/// plugins:
///   radius:
///     enabled: true
///     servers:
///       - { address: 192.0.2.10:1812, secret: { env: RADIUS_SECRET } }
///     timeout: PT2S
///     retries: 1
///     permission_attribute: 25          # Class; or 11 (Filter-Id), any attribute number 1...255
/// ```
public struct RADIUSPlugin: Plugin {
    /// The plugin's settings.
    public struct Configuration: Sendable {
        var servers: [RADIUSServer]
        var timeout: Duration
        var retries: Int
        var nasIdentifier: String
        var permissionAttribute: UInt8?
        var realm: String?
        var requireMessageAuthenticator: Bool
    }

    /// `radius`.
    public static let id: PluginID = "radius"
    /// Off until configured: it needs servers.
    public static let enabledByDefault = false

    /// Reads `plugins.radius`.
    /// - Throws: ``ConfigError`` naming the key to fix.
    public static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        let sections = try reader.sections("servers")
        guard !sections.isEmpty else { throw reader.error("servers", "lists no RADIUS server") }
        let servers = try sections.map { section -> RADIUSServer in
            let address = try section.string("address")
            guard let (host, port) = Self.hostAndPort(address, defaultPort: 1812) else {
                throw section.error("address", "'\(address)' is not HOST, HOST:PORT or [IPv6]:PORT")
            }
            let secret = try section.secret("secret")
            guard !secret.isEmpty else { throw section.error("secret", "is empty") }
            return RADIUSServer(host: host, port: port, secret: Array(secret.utf8))
        }
        let timeout = try reader.duration("timeout", default: "PT2S", range: 1...30)
        let retries = try reader.int("retries", default: 1, range: 0...5)
        if Int64(servers.count * (retries + 1)) * timeout > 30 {
            throw reader.error("timeout", "servers × (retries + 1) × timeout exceeds 30 s: a login would hang that long")
        }
        let attribute = try reader.optionalInt("permission_attribute", range: 1...255)
        return Configuration(
            servers: servers, timeout: .seconds(timeout), retries: retries,
            nasIdentifier: try reader.string("nas_identifier", default: "portolan"),
            permissionAttribute: attribute.map { UInt8($0) }, realm: try reader.optionalString("realm"),
            requireMessageAuthenticator: try reader.bool("require_message_authenticator", default: false))
    }

    private let provider: RADIUSAuthProvider

    /// Builds the provider.
    public init(configuration: Configuration, context: PluginContext) {
        provider = RADIUSAuthProvider(
            client: RADIUSClient(
                servers: configuration.servers, timeout: configuration.timeout, retries: configuration.retries,
                nasIdentifier: configuration.nasIdentifier,
                requireMessageAuthenticator: configuration.requireMessageAuthenticator),
            permissionAttribute: configuration.permissionAttribute, realm: configuration.realm)
    }

    /// The RADIUS ``AuthProvider``.
    public var contributions: Contributions { Contributions(authProviders: [provider]) }

    static func hostAndPort(_ text: String, defaultPort: Int) -> (String, Int)? {
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { return nil }
            let host = String(text[text.index(after: text.startIndex)..<close])
            let rest = text[text.index(after: close)...]
            if rest.isEmpty { return (host, defaultPort) }
            guard rest.hasPrefix(":"), let port = Int(rest.dropFirst()), (1...65_535).contains(port) else { return nil }
            return (host, port)
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        switch parts.count {
        case 1: return text.isEmpty ? nil : (text, defaultPort)
        case 2:
            guard !parts[0].isEmpty, let port = Int(parts[1]), (1...65_535).contains(port) else { return nil }
            return (String(parts[0]), port)
        default: return IPNetwork.parseAddress(text) != nil ? (text, defaultPort) : nil
        }
    }
}
