import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PluginAPI

/// `/login` and `/logout`: the portal login through the configured auth plugins (password providers).
///
/// The login form is protected by a double-submit token (a short-lived `portolan_login` cookie that the form echoes)
/// plus the `Origin` check; the session cookie is `HttpOnly`, `SameSite=Lax`, `Secure` over HTTPS.
struct LoginController: Sendable {
    static let loginCookie = "portolan_login"
    let authenticator: Authenticator
    let sessions: PortalSessionStore
    let guardian: PortalGuard
    /// Login by headers from a trusted web server in front, when configured.
    var proxyHeaders: ProxyHeaderSettings?
    /// Logins elsewhere (OpenID Connect): id and name, offered as links beside the form.
    var redirectProviders: [(id: String, name: String)] = []

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/login") { request, context in try await showLogin(request, context: context) }
        router.post("/login") { request, context in try await login(request, context: context) }
        router.post("/logout") { request, context in try await logout(request, context: context) }
    }

    private func showLogin(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        let returnTo = Self.safeReturnPath(request.uri.queryParameters["return_to"].map(String.init))
        if let proxyHeaders {
            if origin.fromTrustedProxy, let identity = proxyHeaders.identity(header: { name in HTTPField.Name(name).flatMap { request.headers[$0] } }) {
                let callContext = AuthCallContext(logger: context.logger, remoteAddress: origin.clientAddress)
                do {
                    let result = try await authenticator.admit(identity, context: callContext)
                    return try await startSession(for: result.identity.userID, returnTo: returnTo, origin: origin)
                } catch is AuthFailure {
                    return loginPage(returnTo: returnTo, origin: origin, status: .forbidden, error: "This account is disabled.")
                }
            }
            if !origin.fromTrustedProxy, let name = HTTPField.Name(proxyHeaders.userID), request.headers[name] != nil {
                context.logger.notice("ignored a login header from a peer that is not a trusted proxy",
                    metadata: ["client.address": "\(origin.clientAddress ?? "-")"])
            }
        }
        return loginPage(returnTo: Self.safeReturnPath(request.uri.queryParameters["return_to"].map(String.init)), origin: origin,
            status: .ok, error: nil)
    }

    private func login(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        let form = try await FormBody.read(request, context: context)
        let returnTo = Self.safeReturnPath(form["return_to"])
        guard guardian.isSameOriginForm(request, origin: origin, token: form["csrf_token"],
            expected: request.cookies[Self.loginCookie]?.value ?? "")
        else {
            return loginPage(returnTo: returnTo, origin: origin, status: .forbidden,
                error: "The form expired or came from another site. Please try again.")
        }
        guard !form.hasInvalidUTF8 else {
            return loginPage(returnTo: returnTo, origin: origin, status: .badRequest, error: "The user name and password must be UTF-8 text.")
        }
        let username = form["username"] ?? ""
        let password = form["password"] ?? ""
        guard !username.isEmpty, !password.isEmpty, username.utf8.count <= 255, password.utf8.count <= 1024 else {
            return loginPage(returnTo: returnTo, origin: origin, status: .badRequest, error: "Enter a user name and a password.")
        }
        let callContext = AuthCallContext(logger: context.logger, remoteAddress: origin.clientAddress)
        let result: Authenticator.Result?
        do {
            result = try await authenticator.authenticate(
                PasswordCredentials(
                    username: username, password: SecretString(password),
                    oneTimeCode: form["code"].flatMap { $0.isEmpty ? nil : SecretString($0) }),
                context: callContext)
        } catch let failure as AuthFailure where failure.code == .secondFactorRequired {
            return loginPage(returnTo: returnTo, origin: origin, status: .unauthorized,
                error: "This account has two-factor login: enter the code from your authenticator app (or a recovery code).")
        } catch let failure as AuthFailure where failure.code == .throttled {
            return loginPage(returnTo: returnTo, origin: origin, status: .tooManyRequests,
                error: "Too many failed attempts. Wait a minute and try again.")
        } catch let error as PluginError where error.code == .invalidRequest {
            return loginPage(returnTo: returnTo, origin: origin, status: .badRequest, error: error.message.prefix(1).uppercased() + error.message.dropFirst() + ".")
        } catch let error as PluginError where error.code == .unavailable {
            context.logger.error("login service unavailable", metadata: ["error": "\(error.message)"])
            return loginPage(returnTo: returnTo, origin: origin, status: .serviceUnavailable,
                error: "The login service is unavailable. Try again later.")
        } catch is AuthFailure {
            result = nil
        }
        guard let result else {
            context.logger.notice("login failed", metadata: ["client.address": "\(origin.clientAddress ?? "-")"])
            return loginPage(returnTo: returnTo, origin: origin, status: .unauthorized, error: "The user name or password is wrong.")
        }
        return try await startSession(for: result.identity.userID, returnTo: returnTo, origin: origin)
    }

    private func startSession(for userID: String, returnTo: String, origin: RequestOrigin) async throws -> Response {
        let (cookie, _) = try await sessions.create(userID: userID)
        var response = PortalGuard.redirect(to: returnTo)
        response.setCookie(PortalGuard.sessionCookie(cookie, secure: origin.isSecure, maxAge: Int(PortalSessionStore.lifetime)))
        response.setCookie(Cookie(name: Self.loginCookie, value: "", maxAge: 0, path: "/login", secure: origin.isSecure, httpOnly: true, sameSite: .strict))
        return response
    }

    private func logout(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        let form = try await FormBody.read(request, context: context)
        if let (cookie, session) = try await guardian.session(request),
            guardian.isSameOriginForm(request, origin: origin, token: form["csrf_token"], expected: session.csrfToken)
        {
            try await sessions.end(cookie: cookie)
        }
        var response = PortalGuard.redirect(to: "/login")
        response.setCookie(PortalGuard.sessionCookie("", secure: origin.isSecure, maxAge: 0))
        return response
    }

    private func loginPage(returnTo: String, origin: RequestOrigin, status: HTTPResponse.Status, error: String?) -> Response {
        let token = Base64URL.encode(randomBytes(24))
        let body = """
            \(error.map { "<p class=\"error\" role=\"alert\">\(HTMLPage.escape($0))</p>" } ?? "")
            <form method="post" action="/login">
            \(HTMLPage.hidden("csrf_token", token))
            \(HTMLPage.hidden("return_to", returnTo))
            <label for="username">User name</label><input type="text" id="username" name="username" autocomplete="username" required autofocus>
            <label for="password">Password</label><input type="password" id="password" name="password" autocomplete="current-password" required>
            <label for="code">One-time code (if you set up two-factor login)</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code">
            <button type="submit">Log in</button>
            </form>
            \(redirectProviders.map { provider in
                "<p><a class=\"login-with\" href=\"/login/with/\(HTMLPage.escape(provider.id))?return_to=\(OAuthController.percentEncode(returnTo))\">Log in with \(HTMLPage.escape(provider.name))</a></p>"
            }.joined())
            """
        var response = PortalGuard.htmlResponse(status, HTMLPage.page(title: "Log in", body: body))
        response.setCookie(Cookie(name: Self.loginCookie, value: token, maxAge: 900, path: "/login", secure: origin.isSecure, httpOnly: true, sameSite: .strict))
        return response
    }

    /// A local path to return to after login; anything else (another site, `//host`, `/\host`) becomes `/`.
    static func safeReturnPath(_ text: String?) -> String {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), !text.contains("\\"), text.utf8.count <= 4096,
            !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return "/" }
        return text
    }
}
