import Foundation
import Logging
public import PluginAPI

/// OpenID Connect login (the portal sends the browser to the provider and back).
///
/// ```yaml
/// plugins:
///   oidc:
///     enabled: true
///     issuer: https://login.example.org/realms/staff
///     client_id: portolan
///     client_secret: { env: OIDC_CLIENT_SECRET }
///     display_name: Example University
///     scopes: [openid, profile, email]
///     user_id_claim: sub                 # or preferred_username, email
///     permissions_claim: groups          # or eduperson_entitlement
///     timeout: PT5S
/// ```
public struct OIDCPlugin: Plugin {
    /// The plugin's settings.
    public struct Configuration: Sendable {
        var issuer: String
        var clientID: String
        var clientSecret: String
        var displayName: String
        var scopes: [String]
        var userIDClaim: String
        var permissionsClaim: String?
        var timeoutSeconds: Int64
    }

    /// `oidc`.
    public static let id: PluginID = "oidc"
    /// Off until configured.
    public static let enabledByDefault = false

    /// Reads `plugins.oidc`.
    /// - Throws: ``ConfigError`` naming the key to fix.
    public static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        let issuer = try reader.string("issuer")
        guard let url = URL(string: issuer), let host = url.host, url.query == nil, url.fragment == nil else {
            throw reader.error("issuer", "'\(issuer)' is not an https:// URL")
        }
        let loopback = ["127.0.0.1", "::1", "localhost"].contains(host)
        guard url.scheme == "https" || (url.scheme == "http" && loopback) else {
            throw reader.error("issuer", "must be https:// (http:// only for a provider on loopback)")
        }
        var scopes = try reader.stringList("scopes", default: ["openid", "profile", "email"])
        if !scopes.contains("openid") { scopes.insert("openid", at: 0) }
        return Configuration(
            issuer: issuer, clientID: try reader.string("client_id"), clientSecret: try reader.secret("client_secret"),
            displayName: try reader.string("display_name", default: host), scopes: scopes,
            userIDClaim: try reader.string("user_id_claim", default: "sub"),
            permissionsClaim: try reader.optionalString("permissions_claim"),
            timeoutSeconds: try reader.duration("timeout", default: "PT5S", range: 1...30))
    }

    private let provider: OIDCProvider

    /// Builds the relying party.
    public init(configuration: Configuration, context: PluginContext) {
        provider = OIDCProvider(settings: configuration, clock: context.clock)
    }

    /// The OIDC ``RedirectAuthProvider``.
    public var contributions: Contributions { Contributions(redirectAuthProviders: [provider]) }
}
