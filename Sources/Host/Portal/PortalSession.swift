/// A logged-in browser: the user and the CSRF token its forms must carry.
struct PortalSession: Sendable, Equatable {
    var userID: String
    var csrfToken: String
    var expiresAt: Int64
}
