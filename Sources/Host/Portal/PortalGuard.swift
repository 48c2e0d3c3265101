import HTTPTypes
import Hummingbird
import PluginAPI

/// Browser-facing checks shared by the login and consent pages: the session cookie, the CSRF token, the
/// `Origin` header, and the response headers that keep the pages out of frames and caches.
struct PortalGuard: Sendable {
    let sessions: PortalSessionStore
    let origins: RequestOrigin.Policy

    func session(_ request: Request) async throws -> (cookie: String, session: PortalSession)? {
        guard let cookie = request.cookies[PortalSessionStore.cookieName]?.value,
            let session = try await sessions.session(cookie: cookie)
        else { return nil }
        return (cookie, session)
    }

    /// Whether a form POST is same-origin: an `Origin` (or, without it, a `Referer`) must name this server, and the
    /// form's token must equal `expected`.
    func isSameOriginForm(_ request: Request, origin: RequestOrigin, token: String?, expected: String) -> Bool {
        guard let token, !expected.isEmpty, ConstantTime.equals(Array(token.utf8), Array(expected.utf8)) else { return false }
        if let sent = request.headers[.origin] { return sent == origin.baseURL }
        if let referer = request.headers[.referer] { return referer == origin.baseURL || referer.hasPrefix(origin.baseURL + "/") }
        return true
    }

    static func htmlResponse(_ status: HTTPResponse.Status, _ html: String) -> Response {
        var response = Response(
            status: status, headers: [.contentType: "text/html; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: html)))
        secure(&response)
        return response
    }

    static func redirect(to location: String, status: HTTPResponse.Status = .seeOther) -> Response {
        var response = Response(status: status, headers: [.location: location])
        secure(&response)
        return response
    }

    static func secure(_ response: inout Response) {
        response.headers[.cacheControl] = "no-store"
        response.headers[.contentSecurityPolicy] = "frame-ancestors 'none'"
        response.headers[.xFrameOptions] = "DENY"
        response.headers[.xContentTypeOptions] = "nosniff"
        response.headers[.referrerPolicy] = "no-referrer"
    }

    /// The cookie for a browser session.
    static func sessionCookie(_ value: String, secure: Bool, maxAge: Int) -> Cookie {
        Cookie(name: PortalSessionStore.cookieName, value: value, maxAge: maxAge, path: "/", secure: secure, httpOnly: true, sameSite: .lax)
    }
}
