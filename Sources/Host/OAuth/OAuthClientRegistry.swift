import Foundation
/// The OAuth clients: the official eduVPN, Let's Connect! and govVPN apps, plus those in `oauth.clients`.
struct OAuthClientRegistry: Sendable {
    private let clients: [String: OAuthClient]

    init(configured: [OAuthClient]) {
        var clients: [String: OAuthClient] = [:]
        for client in Self.official + configured { clients[client.id] = client }
        self.clients = clients
    }

    func client(_ id: String) -> OAuthClient? { clients[id] }

    /// The official apps' client ids and redirect URIs, as eduvpn-common and the mobile apps send them.
    static let official: [OAuthClient] = {
        let brands = [("org.eduvpn.app", "eduVPN"), ("org.letsconnect-vpn.app", "Let's Connect!"), ("org.govvpn.app", "govVPN")]
        let loopback = ["http://127.0.0.1:{PORT}/callback", "http://[::1]:{PORT}/callback"].map(RedirectURIPattern.init(text:))
        var clients: [OAuthClient] = []
        for (prefix, brand) in brands {
            for platform in ["windows", "linux"] {
                clients.append(OAuthClient(id: "\(prefix).\(platform)", displayName: "\(brand) for \(platform.capitalized)", redirectURIs: loopback))
            }
            clients.append(OAuthClient(
                id: "\(prefix).macos", displayName: "\(brand) for macOS",
                redirectURIs: loopback + [RedirectURIPattern(text: "\(prefix).macos:/api/callback")]))
            clients.append(OAuthClient(
                id: "\(prefix).ios", displayName: "\(brand) for iOS",
                redirectURIs: [RedirectURIPattern(text: "\(prefix).ios:/api/callback")]))
            clients.append(OAuthClient(
                id: "\(prefix).android", displayName: "\(brand) for Android",
                redirectURIs: ["\(prefix):/api/callback", "\(prefix).android:/api/callback"].map(RedirectURIPattern.init(text:))))
        }
        return clients
    }()
}
