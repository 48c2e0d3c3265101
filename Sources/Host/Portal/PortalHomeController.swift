import Hummingbird

/// `/`: who is logged in, and a logout button. (The full user portal builds on this.)
struct PortalHomeController: Sendable {
    let guardian: PortalGuard

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/") { request, _ in
            guard let (_, session) = try await guardian.session(request) else {
                return PortalGuard.redirect(to: "/login")
            }
            let body = """
                <p>You are logged in as <strong>\(HTMLPage.escape(session.userID))</strong>.</p>
                <form method="post" action="/logout">\(HTMLPage.hidden("csrf_token", session.csrfToken))
                <button type="submit">Log out</button></form>
                """
            return PortalGuard.htmlResponse(.ok, HTMLPage.page(title: "Portolan", body: body))
        }
    }
}
