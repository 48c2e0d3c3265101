import Foundation
/// A checked `/oauth/authorize` request (RFC 6749 §4.1.1 with PKCE, as eduVPN apps send it).
struct AuthorizationRequest: Sendable, Equatable {
    var client: OAuthClient
    var redirectURI: String
    var state: String
    var scope: String
    var codeChallenge: String
    /// `form_post` (the desktop apps) or `query`.
    var responseMode: String

    /// Why a request was refused: `.page` when the client or redirect URI cannot be trusted (an error page is shown,
    /// never a redirect), `.redirect` otherwise (the error goes back to the app).
    enum Failure: Error, Equatable {
        case page(String)
        case redirect(to: String, state: String?, responseMode: String, error: String, description: String)
    }

    static let required = ["client_id", "redirect_uri", "response_type", "scope", "state", "code_challenge_method", "code_challenge"]

    /// Checks the query of an authorization request.
    static func parse(_ query: FormBody, clients: OAuthClientRegistry) throws(Failure) -> AuthorizationRequest {
        func single(_ name: String) throws(Failure) -> String? {
            switch query.single(name) {
            case .missing: return nil
            case .repeated: throw .page("the parameter \"\(name)\" appears more than once")
            case .value(let value): return value
            }
        }
        guard let clientID = try single("client_id"), !clientID.isEmpty else { throw .page("missing parameter \"client_id\"") }
        guard let client = clients.client(clientID) else { throw .page("unknown client_id \"\(clientID)\"") }
        guard let redirectURI = try single("redirect_uri"), !redirectURI.isEmpty else { throw .page("missing parameter \"redirect_uri\"") }
        guard client.accepts(redirectURI: redirectURI) else {
            throw .page("redirect_uri is not registered for the client \"\(clientID)\"")
        }
        let state: String?
        let responseMode: String
        do {
            state = try single("state")
            responseMode = try single("response_mode") ?? "query"
        } catch {
            throw .redirect(to: redirectURI, state: nil, responseMode: "query", error: "invalid_request", description: "a parameter appears more than once")
        }
        guard ["query", "form_post"].contains(responseMode) else {
            throw .redirect(to: redirectURI, state: state, responseMode: "query", error: "invalid_request",
                description: "response_mode must be query or form_post")
        }
        func fail(_ error: String, _ description: String) -> Failure {
            .redirect(to: redirectURI, state: state, responseMode: responseMode, error: error, description: description)
        }
        for name in required {
            switch query.single(name) {
            case .missing: throw fail("invalid_request", "missing parameter \"\(name)\"")
            case .repeated: throw fail("invalid_request", "the parameter \"\(name)\" appears more than once")
            case .value: continue
            }
        }
        guard let state, !state.isEmpty, state.utf8.count <= 1024 else { throw fail("invalid_request", "state must be 1 to 1024 characters") }
        guard query["response_type"] == "code" else { throw fail("unsupported_response_type", "response_type must be code") }
        let scope = query["scope"] ?? ""
        guard scope == TokenService.supportedScope else { throw fail("invalid_scope", "the only scope is \"config\"") }
        guard query["code_challenge_method"] == "S256" else {
            throw fail("invalid_request", "code_challenge_method must be S256")
        }
        let challenge = query["code_challenge"] ?? ""
        guard PKCE.isValidChallenge(challenge) else {
            throw fail("invalid_request", "code_challenge must be the base64url SHA-256 of the verifier (43 characters)")
        }
        return AuthorizationRequest(
            client: client, redirectURI: redirectURI, state: state, scope: scope, codeChallenge: challenge, responseMode: responseMode)
    }
}
