import Crypto
import Hummingbird
import Logging
import PluginAPI

/// `/login/with/{provider}`: logins through a provider that takes the browser elsewhere (OpenID Connect). The
/// provider's pending state is kept in the store under the hash of a random handle that only this browser holds
/// (an `HttpOnly` cookie), used once, for 10 minutes.
struct RedirectLoginController: Sendable {
    static let cookieName = "portolan_redirect"
    static let lifetime: Int64 = 600

    let providers: [any RedirectAuthProvider]
    let authenticator: Authenticator
    let sessions: PortalSessionStore
    let guardian: PortalGuard
    let store: any SQLStore
    let clock: any WallClock

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/login/with/:provider") { request, context in try await start(request, context: context) }
        router.get("/login/with/:provider/callback") { request, context in try await finish(request, context: context) }
    }

    private func provider(_ context: PortolanRequestContext) -> (any RedirectAuthProvider)? {
        let id = context.parameters.get("provider") ?? ""
        return providers.first { $0.id == id }
    }

    private func start(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let provider = provider(context) else { return Self.page(.notFound, "No such login service.") }
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        let returnTo = LoginController.safeReturnPath(request.uri.queryParameters["return_to"].map(String.init))
        let callContext = AuthCallContext(logger: context.logger, remoteAddress: origin.clientAddress)
        let start: RedirectLoginStart
        do {
            start = try await provider.startLogin(
                RedirectLoginRequest(callbackURL: "\(origin.baseURL)/login/with/\(provider.id)/callback"), context: callContext)
        } catch let error as PluginError where error.code == .unavailable {
            context.logger.error("login service unavailable", metadata: ["error": "\(error.message)"])
            return Self.page(.serviceUnavailable, "The login service is unavailable. Try again later.")
        }
        let handle = Base64URL.encode(randomBytes(32))
        try await store.execute(
            """
            INSERT INTO login_redirects (handle_hash, provider, state, return_to, expires_at)
            VALUES (\(Self.hash(handle)), \(provider.id), \(start.state.value), \(returnTo), \(clock.secondsSince1970 + Self.lifetime))
            """)
        var response = PortalGuard.redirect(to: start.redirectURL)
        response.setCookie(Cookie(
            name: Self.cookieName, value: handle, maxAge: Int(Self.lifetime), path: "/login/with", secure: origin.isSecure,
            httpOnly: true, sameSite: .lax))
        return response
    }

    private func finish(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let provider = provider(context) else { return Self.page(.notFound, "No such login service.") }
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        guard let handle = request.cookies[Self.cookieName]?.value, handle.utf8.count == 43,
            let row = try await store.first(
                """
                DELETE FROM login_redirects WHERE handle_hash = \(Self.hash(handle)) AND provider = \(provider.id)
                    AND expires_at > \(clock.secondsSince1970)
                RETURNING state, return_to
                """)
        else {
            return Self.page(.badRequest, "This login has expired or was started in another browser. Start again.")
        }
        let query = FormBody(encoded: Substring(request.uri.query ?? ""))
        var parameters: [String: String] = [:]
        for (name, value) in query.fields where parameters[name] == nil { parameters[name] = value }
        let callContext = AuthCallContext(logger: context.logger, remoteAddress: origin.clientAddress)
        do {
            let identity = try await provider.finishLogin(
                RedirectCallback(query: parameters, state: SecretString(try row.string("state"))), context: callContext)
            let result = try await authenticator.admit(identity, context: callContext)
            let (cookie, _) = try await sessions.create(userID: result.identity.userID)
            var response = PortalGuard.redirect(to: try row.string("return_to"))
            response.setCookie(PortalGuard.sessionCookie(cookie, secure: origin.isSecure, maxAge: Int(PortalSessionStore.lifetime)))
            response.setCookie(Cookie(name: Self.cookieName, value: "", maxAge: 0, path: "/login/with", secure: origin.isSecure, httpOnly: true, sameSite: .lax))
            return response
        } catch let failure as AuthFailure {
            return Self.page(.unauthorized, failure.code == .accountDisabled ? "This account is disabled." : "The login was not accepted. Start again.")
        } catch let error as PluginError where error.code == .unavailable {
            context.logger.error("login service unavailable", metadata: ["error": "\(error.message)"])
            return Self.page(.serviceUnavailable, "The login service is unavailable. Try again later.")
        }
    }

    private static func page(_ status: HTTPResponse.Status, _ message: String) -> Response {
        PortalGuard.htmlResponse(status, HTMLPage.page(title: "Log in", body: "<p class=\"error\">\(HTMLPage.escape(message))</p><p><a href=\"/login\">Log in</a></p>"))
    }

    private static func hash(_ handle: String) -> String { Base64URL.encode(Array(SHA256.hash(data: Array(handle.utf8)))) }
}
