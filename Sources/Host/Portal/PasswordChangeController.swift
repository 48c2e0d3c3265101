import Hummingbird
import Logging
import PluginAPI

/// `/account/password`: a logged-in local user changes their password (the current one is asked again; 8 to 255
/// characters, as the reference).
struct PasswordChangeController: Sendable {
    let manager: (any PasswordAccountManager)?
    let authenticator: Authenticator
    let directory: UserDirectory
    let guardian: PortalGuard

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/account/password") { request, _ in
            guard let (_, session) = try await guardian.session(request) else { return PortalGuard.redirect(to: "/login?return_to=/account/password") }
            return page(session, message: nil, status: .ok)
        }
        router.post("/account/password") { request, context in try await change(request, context: context) }
    }

    private func change(_ request: Request, context: PortolanRequestContext) async throws -> Response {
        guard let (_, session) = try await guardian.session(request), let manager else { return PortalGuard.redirect(to: "/login") }
        let origin = guardian.origins.origin(of: request, peer: context.peerAddress)
        let form = try await FormBody.read(request, context: context)
        guard guardian.isSameOriginForm(request, origin: origin, token: form["csrf_token"], expected: session.csrfToken) else {
            return page(session, message: "The form expired. Try again.", status: .forbidden)
        }
        guard try await directory.find(session.userID)?.authProvider == "local" else {
            return page(session, message: "Your password is managed by your institution, not here.", status: .forbidden)
        }
        let current = form["current_password"] ?? ""
        let new = form["new_password"] ?? ""
        guard (8...255).contains(new.count) else { return page(session, message: "The new password must be 8 to 255 characters.", status: .badRequest) }
        guard new == form["repeat_password"] else { return page(session, message: "The two new passwords differ.", status: .badRequest) }
        let callContext = AuthCallContext(logger: context.logger, remoteAddress: origin.clientAddress)
        do {
            guard try await authenticator.authenticate(
                PasswordCredentials(username: session.userID, password: SecretString(current)), context: callContext) != nil
            else { return page(session, message: "The current password is wrong.", status: .unauthorized) }
        } catch let failure as AuthFailure where failure.code == .secondFactorRequired {
            // The password was right; the second factor was shown when this session logged in.
        } catch is AuthFailure {
            return page(session, message: "The current password is wrong.", status: .unauthorized)
        }
        try await manager.setPassword(SecretString(new), forUser: session.userID)
        context.logger.info("password changed", metadata: ["user.id": "\(session.userID)"])
        return page(session, message: "Your password is changed.", status: .ok)
    }

    private func page(_ session: PortalSession, message: String?, status: HTTPResponse.Status) -> Response {
        let body = """
            \(message.map { "<p role=\"status\">\(HTMLPage.escape($0))</p>" } ?? "")
            <form method="post" action="/account/password">\(HTMLPage.hidden("csrf_token", session.csrfToken))
            <label for="current">Current password</label><input type="password" id="current" name="current_password" autocomplete="current-password" required>
            <label for="new">New password (8 to 255 characters)</label><input type="password" id="new" name="new_password" autocomplete="new-password" required>
            <label for="repeat">New password again</label><input type="password" id="repeat" name="repeat_password" autocomplete="new-password" required>
            <button type="submit">Change the password</button></form>
            """
        return PortalGuard.htmlResponse(status, HTMLPage.page(title: "Change your password", body: body))
    }
}
