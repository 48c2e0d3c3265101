import Foundation
/// An OAuth client the authorization server knows: an official app or one an operator configured.
struct OAuthClient: Sendable, Hashable {
    /// `client_id`, such as `org.eduvpn.app.linux`.
    var id: String
    /// The name the consent page shows.
    var displayName: String
    /// The redirect URIs it may use.
    var redirectURIs: [RedirectURIPattern]

    /// Whether `uri` is one of the client's redirect URIs.
    func accepts(redirectURI uri: String) -> Bool {
        redirectURIs.contains { $0.matches(uri) }
    }
}
