import Hummingbird
import Logging
import PluginAPI

/// `/account/two-factor`: a logged-in user sets up (or removes) a TOTP second factor for a local account: the secret
/// and its `otpauth://` URI, confirmation with a code, then the recovery codes, shown once.
struct TwoFactorController: Sendable {
    let managers: [any SecondFactorManager]
    let guardian: PortalGuard
    let issuer: String

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/account/two-factor") { request, context in try await show(request, context: context) }
        router.post("/account/two-factor/start") { request, context in try await start(request, context: context) }
        router.post("/account/two-factor/confirm") { request, context in try await confirm(request, context: context) }
        router.post("/account/two-factor/disable") { request, context in try await disable(request, context: context) }
    }

    private func manager(for userID: String) async throws -> (any SecondFactorManager)? {
        for manager in managers where try await manager.manages(userID: userID) { return manager }
        return nil
    }

    private func show(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let (_, session) = try await guardian.session(request) else { return PortalGuard.redirect(to: "/login?return_to=/account/two-factor") }
        guard let manager = try await manager(for: session.userID) else {
            return page("Your account logs in through your institution; two-factor login is set up there.")
        }
        if try await manager.isEnrolled(userID: session.userID) {
            return page("""
                <p>Two-factor login is <strong>on</strong>.</p>
                <form method="post" action="/account/two-factor/disable">\(HTMLPage.hidden("csrf_token", session.csrfToken))
                <button type="submit">Turn it off</button></form>
                <form method="post" action="/account/two-factor/start">\(HTMLPage.hidden("csrf_token", session.csrfToken))
                <button type="submit">Move it to a new device</button></form>
                """)
        }
        return page("""
            <p>Two-factor login is off.</p>
            <form method="post" action="/account/two-factor/start">\(HTMLPage.hidden("csrf_token", session.csrfToken))
            <button type="submit">Set it up</button></form>
            """)
    }

    private func start(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let (session, _) = try await checkedSession(request, context: context) else { return Self.refused }
        guard let manager = try await manager(for: session.userID) else { return Self.refused }
        let enrollment = try await manager.startEnrollment(userID: session.userID, issuer: issuer)
        return page("""
            <p>Scan this code with your authenticator app (or open the link, or type the key), then enter the code it
            shows.</p>
            \((try? QRCode(text: enrollment.uri).svg()) ?? "")
            <p><a href="\(HTMLPage.escape(enrollment.uri))">\(HTMLPage.escape(enrollment.uri))</a></p>
            <p>Key: <code id="secret">\(HTMLPage.escape(enrollment.secret))</code></p>
            <form method="post" action="/account/two-factor/confirm">\(HTMLPage.hidden("csrf_token", session.csrfToken))
            <label for="code">Code</label><input type="text" id="code" name="code" inputmode="numeric" autocomplete="one-time-code" required>
            <button type="submit">Confirm</button></form>
            """)
    }

    private func confirm(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let (session, form) = try await checkedSession(request, context: context) else { return Self.refused }
        guard let manager = try await manager(for: session.userID) else { return Self.refused }
        do {
            let codes = try await manager.confirmEnrollment(userID: session.userID, code: form["code"] ?? "")
            context.logger.info("two-factor login set up", metadata: ["user.id": "\(session.userID)"])
            return page("""
                <p>Two-factor login is on. Keep these recovery codes somewhere safe: each works once, instead of a code.</p>
                <ul id="recovery-codes">\(codes.map { "<li><code>\(HTMLPage.escape($0))</code></li>" }.joined())</ul>
                """)
        } catch is AuthFailure {
            return page("<p class=\"error\">That code is not right. Start again.</p>", status: .badRequest)
        }
    }

    private func disable(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let (session, _) = try await checkedSession(request, context: context) else { return Self.refused }
        guard let manager = try await manager(for: session.userID) else { return Self.refused }
        try await manager.disable(userID: session.userID)
        context.logger.notice("two-factor login turned off", metadata: ["user.id": "\(session.userID)"])
        return page("<p>Two-factor login is off.</p>")
    }

    /// The session and form of a same-origin form post with the right CSRF token, or `nil`.
    private func checkedSession(_ request: Request, context: PortolanRequestContext) async throws -> (PortalSession, FormBody)? {
        guard let (_, session) = try await guardian.session(request) else { return nil }
        let form = try await FormBody.read(request, context: context)
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        return guardian.isSameOriginForm(request, origin: origin, token: form["csrf_token"], expected: session.csrfToken) ? (session, form) : nil
    }

    private static var refused: Response {
        PortalGuard.htmlResponse(.forbidden, HTMLPage.page(title: "Two-factor login", body: "<p class=\"error\">Log in again and retry.</p>"))
    }

    private func page(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
        PortalGuard.htmlResponse(status, HTMLPage.page(title: "Two-factor login", body: body))
    }
}
