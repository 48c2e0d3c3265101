import Crypto
import Foundation
import Logging
import PluginAPI
import Synchronization

/// OpenID Connect relying party: discovery, authorization code with PKCE (S256) and a nonce, the code exchanged with
/// the client secret, the ID token verified against the provider's JWKS; claims mapped to the user id and permissions.
final class OIDCProvider: RedirectAuthProvider {
    let id = "oidc"
    let displayName: String
    private let settings: OIDCPlugin.Configuration
    private let http: OIDCHTTP
    private let clock: any WallClock
    private let metadata = Mutex<(document: Metadata, fetchedAt: Int64)?>(nil)

    struct Metadata: Sendable {
        var authorizationEndpoint: URL
        var tokenEndpoint: URL
        var jwksURI: URL
    }

    init(settings: OIDCPlugin.Configuration, clock: any WallClock) {
        self.settings = settings
        self.displayName = settings.displayName
        self.http = OIDCHTTP(timeout: TimeInterval(settings.timeoutSeconds))
        self.clock = clock
    }

    func startLogin(_ request: RedirectLoginRequest, context: AuthCallContext) async throws -> RedirectLoginStart {
        let metadata = try await discover()
        let state = Self.random(), nonce = Self.random(), verifier = Self.random() + Self.random()
        let challenge = Data(SHA256.hash(data: Data(verifier.utf8))).base64URL
        var components = URLComponents(url: metadata.authorizationEndpoint, resolvingAgainstBaseURL: false)
        let existing = components?.queryItems ?? []
        components?.queryItems = existing + [
            .init(name: "response_type", value: "code"), .init(name: "client_id", value: settings.clientID),
            .init(name: "redirect_uri", value: request.callbackURL), .init(name: "scope", value: settings.scopes.joined(separator: " ")),
            .init(name: "state", value: state), .init(name: "nonce", value: nonce),
            .init(name: "code_challenge", value: challenge), .init(name: "code_challenge_method", value: "S256"),
        ]
        guard let url = components?.url else { throw PluginError.unavailable("the provider's authorization endpoint is not a URL") }
        // What the callback needs, kept by the host for this browser: state, nonce, verifier, callback.
        let pending = [state, nonce, verifier, request.callbackURL].joined(separator: "\n")
        return RedirectLoginStart(redirectURL: url.absoluteString, state: SecretString(pending))
    }

    func finishLogin(_ callback: RedirectCallback, context: AuthCallContext) async throws -> Identity {
        let pending = callback.state.value.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard pending.count == 4 else { throw AuthFailure.invalidCredentials() }
        let (state, nonce, verifier, callbackURL) = (pending[0], pending[1], pending[2], pending[3])
        if let error = callback.query["error"] {
            context.logger.notice("the OpenID provider refused the login", metadata: ["error": "\(error.prefix(100))"])
            throw AuthFailure.invalidCredentials()
        }
        guard let returned = callback.query["state"], ConstantTime.equals(Array(returned.utf8), Array(state.utf8)) else {
            context.logger.notice("OpenID callback with a wrong state")
            throw AuthFailure.invalidCredentials()
        }
        guard let code = callback.query["code"], !code.isEmpty, code.utf8.count <= 2048 else { throw AuthFailure.invalidCredentials() }
        let metadata = try await discover()
        let credentials = Data("\(Self.formEscape(settings.clientID)):\(Self.formEscape(settings.clientSecret))".utf8).base64EncodedString()
        let form = [
            "grant_type=authorization_code", "code=\(Self.formEscape(code))", "redirect_uri=\(Self.formEscape(callbackURL))",
            "code_verifier=\(Self.formEscape(verifier))", "client_id=\(Self.formEscape(settings.clientID))",
        ].joined(separator: "&")
        let tokens = try await http.post(metadata.tokenEndpoint, form: form, authorization: "Basic \(credentials)")
        guard let idToken = tokens["id_token"] as? String else { throw PluginError.unavailable("the OpenID provider sent no id_token") }
        let keys = JWTVerifier.keys(fromJWKS: try await http.get(metadata.jwksURI))
        let claims: [String: Any]
        do {
            claims = try JWTVerifier(keys: keys, issuer: settings.issuer, clientID: settings.clientID)
                .verify(idToken, nonce: nonce, now: clock.secondsSince1970)
        } catch let failure as JWTVerifier.Failure {
            context.logger.info("ID token refused", metadata: ["reason": "\(failure.description)"])
            throw AuthFailure.invalidCredentials()
        }
        guard let userID = Self.string(claims[settings.userIDClaim]), !userID.isEmpty, userID.utf8.count <= 128 else {
            throw PluginError.unavailable("the ID token has no usable '\(settings.userIDClaim)' claim")
        }
        var permissions = Set<String>()
        if let claim = settings.permissionsClaim {
            let values = (claims[claim] as? [Any]) ?? (claims[claim].map { [$0] } ?? [])
            permissions = Set(values.compactMap(Self.string).filter { !$0.isEmpty && $0.utf8.count <= 255 })
        }
        return Identity(userID: userID, displayName: Self.string(claims["name"]), permissions: permissions, authProvider: id)
    }

    /// The provider's metadata, fetched at most every 10 minutes; its issuer must be the configured one.
    private func discover() async throws -> Metadata {
        let now = clock.secondsSince1970
        if let cached = metadata.withLock({ $0 }), now - cached.fetchedAt < 600 { return cached.document }
        guard let url = URL(string: settings.issuer.trimmingSuffix("/") + "/.well-known/openid-configuration") else {
            throw PluginError.unavailable("the issuer is not a URL")
        }
        let document = try await http.get(url)
        guard (document["issuer"] as? String)?.trimmingSuffix("/") == settings.issuer.trimmingSuffix("/") else {
            throw PluginError.unavailable("the OpenID provider at \(settings.issuer) names another issuer")
        }
        guard let authorization = (document["authorization_endpoint"] as? String).flatMap(URL.init(string:)),
            let token = (document["token_endpoint"] as? String).flatMap(URL.init(string:)),
            let jwks = (document["jwks_uri"] as? String).flatMap(URL.init(string:))
        else { throw PluginError.unavailable("the OpenID provider's metadata lacks endpoints") }
        let found = Metadata(authorizationEndpoint: authorization, tokenEndpoint: token, jwksURI: jwks)
        metadata.withLock { $0 = (found, now) }
        return found
    }

    private static func string(_ value: Any?) -> String? {
        switch value {
        case let text as String: text
        case let number as NSNumber: number.stringValue
        default: nil
        }
    }

    private static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return Data((0..<24).map { _ in UInt8.random(in: 0...255, using: &generator) }).base64URL
    }

    private static func formEscape(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")) ?? ""
    }
}

extension Data {
    fileprivate var base64URL: String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String { hasSuffix(suffix) ? String(dropLast(suffix.count)) : self }
}
