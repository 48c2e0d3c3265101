import Crypto
import PluginAPI

/// Browser sessions in the store (`portal_sessions`), so any replica serves any browser. The cookie holds 32 random
/// bytes; the store keeps only their SHA-256.
struct PortalSessionStore: Sendable {
    static let cookieName = "portolan_session"
    /// How long a browser stays logged in: 30 minutes, as the reference's `browserSessionExpiry`.
    static let lifetime: Int64 = 1_800

    let store: any SQLStore
    let clock: any WallClock

    /// Starts a session; returns the cookie value and the session.
    func create(userID: String) async throws -> (cookie: String, session: PortalSession) {
        let now = clock.secondsSince1970
        let cookie = Base64URL.encode(randomBytes(32))
        let session = PortalSession(userID: userID, csrfToken: Base64URL.encode(randomBytes(24)), expiresAt: now + Self.lifetime)
        try await store.execute(
            """
            INSERT INTO portal_sessions (session_hash, user_id, csrf_token, created_at, expires_at)
            VALUES (\(Self.hash(cookie)), \(userID), \(session.csrfToken), \(now), \(session.expiresAt))
            """)
        return (cookie, session)
    }

    /// The live session of a cookie value whose user is enabled, or `nil`.
    func session(cookie: String) async throws -> PortalSession? {
        guard cookie.utf8.count == 43 else { return nil }
        let row = try await store.first(
            """
            SELECT s.user_id, s.csrf_token, s.expires_at FROM portal_sessions s JOIN users u ON u.user_id = s.user_id
            WHERE s.session_hash = \(Self.hash(cookie)) AND s.expires_at > \(clock.secondsSince1970) AND u.disabled = 0
            """)
        return try row.map {
            PortalSession(userID: try $0.string("user_id"), csrfToken: try $0.string("csrf_token"), expiresAt: try $0.int("expires_at"))
        }
    }

    func end(cookie: String) async throws {
        try await store.execute("DELETE FROM portal_sessions WHERE session_hash = \(Self.hash(cookie))")
    }

    private static func hash(_ cookie: String) -> String {
        Base64URL.encode(Array(SHA256.hash(data: Array(cookie.utf8))))
    }
}
