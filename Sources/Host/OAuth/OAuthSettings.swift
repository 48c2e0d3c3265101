import Foundation
import PluginAPI

/// `oauth.*`: token lifetimes and the operator's own clients.
struct OAuthSettings: Sendable {
    /// `oauth.access_token_expiry`. Default `PT1H`.
    var accessTokenExpiry: Int64
    /// `oauth.session_expiry`: how long an app's authorization lasts. Default `P90D`.
    var sessionExpiry: Int64
    /// How long an authorization code may wait to be exchanged: 5 minutes, as the reference.
    var codeExpiry: Int64 = 300
    /// `oauth.clients`.
    var clients: [OAuthClient]
    /// `oauth.session_expiry_by_permission`: users holding a permission get its session expiry instead (the longest
    /// of those that match), as the reference's `https://eduvpn.org/expiry#P1Y` permissions.
    var sessionExpiryByPermission: [String: Int64] = [:]

    static let defaults = OAuthSettings(accessTokenExpiry: 3_600, sessionExpiry: 90 * 86_400, clients: [])

    /// The session expiry for a user with `permissions`.
    func sessionExpiry(for permissions: Set<String>) -> Int64 {
        permissions.compactMap { sessionExpiryByPermission[$0] }.max() ?? sessionExpiry
    }

    init(accessTokenExpiry: Int64, sessionExpiry: Int64, clients: [OAuthClient]) {
        self.accessTokenExpiry = accessTokenExpiry
        self.sessionExpiry = sessionExpiry
        self.clients = clients
    }

    init(reader: ConfigReader) throws {
        accessTokenExpiry = try reader.duration("access_token_expiry", default: "PT1H", range: 1...86_400)
        sessionExpiry = try reader.duration("session_expiry", default: "P90D", range: 300...(3 * 365 * 86_400))
        clients = try reader.sections("clients").map(Self.client)
        for section in try reader.sections("session_expiry_by_permission") {
            let permission = try section.string("permission")
            guard sessionExpiryByPermission[permission] == nil else { throw section.error("permission", "'\(permission)' is listed twice") }
            sessionExpiryByPermission[permission] = try section.duration("expiry", default: "P90D", range: 300...(3 * 365 * 86_400))
        }
        var seen = Set<String>()
        for (index, client) in clients.enumerated() where !seen.insert(client.id).inserted {
            throw ConfigError(key: "\(reader.keyPath("clients"))[\(index)].client_id", problem: "'\(client.id)' is listed twice")
        }
    }

    private static func client(_ section: ConfigReader) throws -> OAuthClient {
        let id = try section.string("client_id")
        guard (1...128).contains(id.count), id.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
            throw section.error("client_id", "must be 1 to 128 printable ASCII characters without spaces")
        }
        let uris = try section.stringList("redirect_uris")
        guard !uris.isEmpty else { throw section.error("redirect_uris", "lists no redirect URI") }
        for (index, uri) in uris.enumerated() {
            let isLoopbackHTTP = uri.hasPrefix("http://127.0.0.1:") || uri.hasPrefix("http://[::1]:") || uri.hasPrefix("http://localhost")
            let hasScheme = uri.firstIndex(of: ":").map { uri[..<$0].allSatisfy { $0.isLetter || $0.isNumber || "+-.".contains($0) } } ?? false
            guard hasScheme, !uri.contains("#"), !uri.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }),
                uri.hasPrefix("https://") || isLoopbackHTTP || !uri.hasPrefix("http")
            else {
                throw ConfigError(
                    key: "\(section.keyPath("redirect_uris"))[\(index)]",
                    problem: "'\(uri)' is not an absolute URI without fragment (https, loopback http, or an app scheme)")
            }
        }
        return OAuthClient(
            id: id, displayName: try section.string("display_name", default: id),
            redirectURIs: uris.map(RedirectURIPattern.init(text:)))
    }
}
