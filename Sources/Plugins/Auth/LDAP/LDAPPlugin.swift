import Foundation
import Logging
import NIOSSL
public import PluginAPI

/// LDAP / Active Directory login.
///
/// ```yaml
/// plugins:
///   ldap:
///     enabled: true
///     uri: ldaps://ldap.example.org        # ldap:// or ldaps://, optional :port
///     start_tls: false                     # with ldap://: upgrade the connection to TLS (RFC 4511 §4.14)
///     ca_file: /etc/ssl/ldap-ca.pem        # optional; the system roots otherwise
///     bind_dn_template: "uid={{UID}},ou=people,dc=example,dc=org"
///     # or search, then bind as the entry found:
///     # base_dn: "ou=people,dc=example,dc=org"
///     # user_filter: "(uid={{UID}})"
///     # search_bind_dn: "cn=portolan,dc=example,dc=org"
///     # search_bind_password: { env: LDAP_SEARCH_PASSWORD }
///     user_id_attribute: uid               # optional: the user id from this attribute
///     permission_attributes: [memberOf]
///     timeout: PT5S
/// ```
public struct LDAPPlugin: Plugin {
    /// The plugin's settings.
    public struct Configuration: Sendable {
        var host: String
        var port: Int
        var useTLS: Bool
        var startTLS: Bool
        var caFile: String?
        var bindDNTemplate: String?
        var baseDN: String?
        var userFilter: String
        var searchBindDN: String?
        var searchBindPassword: String?
        var userIDAttribute: String?
        var permissionAttributes: [String]
        var timeout: Duration
    }

    /// `ldap`.
    public static let id: PluginID = "ldap"
    /// Off until configured.
    public static let enabledByDefault = false

    /// Reads `plugins.ldap`.
    /// - Throws: ``ConfigError`` naming the key to fix.
    public static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        let uri = try reader.string("uri")
        let useTLS: Bool
        let rest: Substring
        if uri.hasPrefix("ldaps://") {
            useTLS = true
            rest = uri.dropFirst("ldaps://".count)
        } else if uri.hasPrefix("ldap://") {
            useTLS = false
            rest = uri.dropFirst("ldap://".count)
        } else {
            throw reader.error("uri", "'\(uri)' must start with ldap:// or ldaps://")
        }
        guard let (host, port) = RADIUSPlugin.hostAndPort(String(rest.prefix { $0 != "/" }), defaultPort: useTLS ? 636 : 389) else {
            throw reader.error("uri", "'\(uri)' has no valid host and port")
        }
        let template = try reader.optionalString("bind_dn_template")
        let baseDN = try reader.optionalString("base_dn")
        let filter = try reader.string("user_filter", default: "(uid={{UID}})")
        switch (template, baseDN) {
        case (nil, nil): throw reader.error("bind_dn_template", "is missing: set bind_dn_template, or base_dn (search, then bind)")
        case (.some, .some): throw reader.error("base_dn", "cannot be combined with bind_dn_template: choose one way to find the user")
        default: break
        }
        if let template, !template.contains("{{UID}}") { throw reader.error("bind_dn_template", "must contain {{UID}}") }
        if baseDN != nil {
            guard filter.contains("{{UID}}") else { throw reader.error("user_filter", "must contain {{UID}}") }
            do {
                _ = try LDAPFilter.parse(filter.replacingOccurrences(of: "{{UID}}", with: "x"))
            } catch let error as LDAPFilter.ParseError {
                throw reader.error("user_filter", "is not an LDAP filter: \(error.description)")
            }
        }
        let startTLS = try reader.bool("start_tls", default: false)
        if startTLS && useTLS { throw reader.error("start_tls", "is for ldap:// URIs; ldaps:// is TLS from the start") }
        let caFile = try reader.optionalString("ca_file")
        if let caFile, !FileManager.default.isReadableFile(atPath: caFile) { throw reader.error("ca_file", "cannot read '\(caFile)'") }
        return Configuration(
            host: host, port: port, useTLS: useTLS, startTLS: startTLS, caFile: caFile, bindDNTemplate: template, baseDN: baseDN, userFilter: filter,
            searchBindDN: try reader.optionalString("search_bind_dn"), searchBindPassword: try reader.optionalSecret("search_bind_password"),
            userIDAttribute: try reader.optionalString("user_id_attribute"),
            permissionAttributes: try reader.stringList("permission_attributes"),
            timeout: .seconds(try reader.duration("timeout", default: "PT5S", range: 1...30)))
    }

    private let provider: LDAPAuthProvider

    /// Builds the provider (and the TLS context for `ldaps://`).
    /// - Throws: when the CA file is not PEM.
    public init(configuration: Configuration, context: PluginContext) throws {
        var tls: NIOSSLContext?
        if configuration.useTLS || configuration.startTLS {
            var settings = TLSConfiguration.makeClientConfiguration()
            settings.minimumTLSVersion = .tlsv12
            if let caFile = configuration.caFile {
                do {
                    settings.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(caFile))
                } catch {
                    throw ConfigError(key: "plugins.ldap.ca_file", problem: "'\(caFile)' holds no PEM certificate")
                }
            }
            tls = try NIOSSLContext(configuration: settings)
        }
        provider = LDAPAuthProvider(settings: configuration, tls: tls)
    }

    /// The LDAP ``AuthProvider``.
    public var contributions: Contributions { Contributions(authProviders: [provider]) }
}
