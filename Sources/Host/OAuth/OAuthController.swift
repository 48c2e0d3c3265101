import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PluginAPI

/// `/oauth/authorize` (login, consent, code), `/oauth/token` (both grants) and `/oauth/revoke` (RFC 7009).
struct OAuthController: Sendable {
    let tokens: TokenService
    let guardian: PortalGuard

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/oauth/authorize") { request, context in try await authorize(request, context: context, posted: false) }
        router.post("/oauth/authorize") { request, context in try await authorize(request, context: context, posted: true) }
        router.post("/oauth/token") { request, context in try await token(request, context: context) }
        router.post("/oauth/revoke") { request, context in try await revoke(request, context: context) }
        router.post("/token") { _, _ in Self.oauthError(.invalidGrant("this is the API v2 token path")) }
    }

    // MARK: authorize

    private func authorize(_ request: Request, context: PortolanRequestContext, posted: Bool) async throws -> Response {
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        let query = FormBody(encoded: Substring(request.uri.query ?? ""))
        let authorization: AuthorizationRequest
        do {
            authorization = try AuthorizationRequest.parse(query, clients: tokens.clients)
        } catch .page(let message) {
            return PortalGuard.htmlResponse(.badRequest, HTMLPage.page(
                title: "Error", body: "<p class=\"error\">ERROR: invalid request (\(HTMLPage.escape(message)))</p>"))
        } catch .redirect(let uri, let state, let mode, let error, let description) {
            return Self.respond(to: uri, mode: mode, fields: [("error", error), ("error_description", description)]
                + (state.map { [("state", $0)] } ?? []) + [("iss", origin.baseURL + "/")])
        }
        guard let (_, session) = try await guardian.session(request) else {
            let returnTo = "/oauth/authorize?" + (request.uri.query ?? "")
            return PortalGuard.redirect(to: "/login?return_to=" + Self.percentEncode(returnTo))
        }
        guard posted else { return consentPage(authorization, session: session, query: request.uri.query ?? "") }

        let form = try await FormBody.read(request, context: context)
        guard guardian.isSameOriginForm(request, origin: origin, token: form["csrf_token"], expected: session.csrfToken) else {
            return PortalGuard.htmlResponse(.forbidden, HTMLPage.page(
                title: "Error", body: "<p class=\"error\">The form expired or came from another site. Go back to the app and try again.</p>"))
        }
        var fields: [(String, String)]
        if form["decision"] == "approve" {
            let code = try await tokens.issueCode(
                userID: session.userID, client: authorization.client, redirectURI: authorization.redirectURI,
                codeChallenge: authorization.codeChallenge, scope: authorization.scope)
            fields = [("code", code)]
        } else {
            fields = [("error", "access_denied"), ("error_description", "the user declined")]
        }
        fields += [("state", authorization.state), ("iss", origin.baseURL + "/")]
        return Self.respond(to: authorization.redirectURI, mode: authorization.responseMode, fields: fields)
    }

    private func consentPage(_ authorization: AuthorizationRequest, session: PortalSession, query: String) -> Response {
        let name = HTMLPage.escape(authorization.client.displayName)
        let body = """
            <p>The application <strong>\(name)</strong> (<code>\(HTMLPage.escape(authorization.client.id))</code>) wants to
            download VPN configurations for you, <strong>\(HTMLPage.escape(session.userID))</strong>.</p>
            <form method="post" action="/oauth/authorize?\(HTMLPage.escape(query))">
            \(HTMLPage.hidden("csrf_token", session.csrfToken))
            <button type="submit" name="decision" value="approve">Approve</button>
            <button type="submit" name="decision" value="deny">Reject</button>
            </form>
            """
        return PortalGuard.htmlResponse(.ok, HTMLPage.page(title: "Approve application", body: body))
    }

    /// Hands the result back to the app: a `302` with the fields in the query, or an auto-submitted form for
    /// `response_mode=form_post`.
    static func respond(to redirectURI: String, mode: String, fields: [(String, String)]) -> Response {
        if mode == "form_post" {
            let inputs = fields.map { HTMLPage.hidden($0.0, $0.1) }.joined(separator: "\n")
            let body = """
                <form method="post" action="\(HTMLPage.escape(redirectURI))">
                \(inputs)
                <noscript><button type="submit">Continue</button></noscript>
                </form>
                """
            return PortalGuard.htmlResponse(.ok, HTMLPage.page(title: "Returning to the app", body: body, autoSubmit: true))
        }
        let query = fields.map { "\(percentEncode($0.0))=\(percentEncode($0.1))" }.joined(separator: "&")
        return PortalGuard.redirect(to: redirectURI + (redirectURI.contains("?") ? "&" : "?") + query, status: .found)
    }

    // MARK: token

    private func token(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard Self.isForm(request) else {
            return Self.oauthError(.invalidRequest("the body must be application/x-www-form-urlencoded"))
        }
        let form = try await FormBody.read(request, context: context)
        do throws(OAuthError) {
            let value = { (name: String) throws(OAuthError) -> String in
                switch form.single(name) {
                case .missing: throw .invalidRequest("missing parameter \"\(name)\"")
                case .repeated: throw .invalidRequest("the parameter \"\(name)\" appears more than once")
                case .value(let value):
                    guard !value.isEmpty else { throw .invalidRequest("the parameter \"\(name)\" is empty") }
                    return value
                }
            }
            let response: TokenService.TokenResponse
            switch try value("grant_type") {
            case "authorization_code":
                response = try await tokens.exchange(
                    code: try value("code"), clientID: try value("client_id"), redirectURI: try value("redirect_uri"),
                    verifier: try value("code_verifier"))
            case "refresh_token":
                if case .value(let scope) = form.single("scope"), scope != TokenService.supportedScope {
                    throw .invalidScope("the scope of a refresh must be \"config\"")
                }
                response = try await tokens.refresh(token: try value("refresh_token"), clientID: try value("client_id"))
            default:
                throw .unsupportedGrantType("grant_type must be authorization_code or refresh_token")
            }
            return Self.tokenResponse(response)
        } catch {
            return Self.oauthError(error)
        }
    }

    // MARK: revoke

    private func revoke(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard Self.isForm(request) else {
            return Self.oauthError(.invalidRequest("the body must be application/x-www-form-urlencoded"))
        }
        let form = try await FormBody.read(request, context: context)
        guard case .value(let token) = form.single("token"), !token.isEmpty else {
            return Self.oauthError(.invalidRequest("missing parameter \"token\""))
        }
        if case .value(let hint) = form.single("token_type_hint"), !["access_token", "refresh_token"].contains(hint) {
            return Self.oauthError(OAuthError(code: "unsupported_token_type", description: "token_type_hint must be access_token or refresh_token", status: 400))
        }
        try await tokens.revoke(token: token, clientID: form["client_id"])
        var response = Response(status: .ok)
        response.headers[.cacheControl] = "no-store"
        return response
    }

    // MARK: helpers

    static func isForm(_ request: Request) -> Bool {
        request.headers[.contentType]?.lowercased().hasPrefix("application/x-www-form-urlencoded") ?? false
    }

    static func json(_ value: some Encodable, status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json", .cacheControl: "no-store", .pragma: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The token response, written by hand: its values are base64url tokens and a number (no escaping needed), and
    /// this is the hottest JSON Portolan writes.
    static func tokenResponse(_ tokens: TokenService.TokenResponse) -> Response {
        let body = #"{"access_token":""# + tokens.access_token + #"","refresh_token":""# + tokens.refresh_token
            + #"","token_type":"bearer","expires_in":"# + String(tokens.expires_in) + "}"
        return Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store", .pragma: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    static func oauthError(_ error: OAuthError) -> Response {
        var response = json(
            ["error": error.code, "error_description": error.description],
            status: HTTPResponse.Status(code: error.status))
        if error.status == 401 { response.headers[.wwwAuthenticate] = "Basic realm=\"Portolan\"" }
        return response
    }

    static func percentEncode(_ text: String) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
