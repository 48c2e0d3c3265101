/// An error the token and revocation endpoints answer as RFC 6749 §5.2 says: `{"error", "error_description"}`.
struct OAuthError: Error, Sendable, Equatable {
    /// `invalid_request`, `invalid_client`, `invalid_grant`, `unsupported_grant_type`, `invalid_scope`, …
    var code: String
    /// Says what to fix; never holds a token or secret.
    var description: String
    /// 400, or 401 for `invalid_client`.
    var status: Int

    static func invalidRequest(_ description: String) -> OAuthError { .init(code: "invalid_request", description: description, status: 400) }
    static func invalidGrant(_ description: String) -> OAuthError { .init(code: "invalid_grant", description: description, status: 400) }
    static func invalidClient(_ description: String) -> OAuthError { .init(code: "invalid_client", description: description, status: 401) }
    static func invalidScope(_ description: String) -> OAuthError { .init(code: "invalid_scope", description: description, status: 400) }
    static func unsupportedGrantType(_ description: String) -> OAuthError {
        .init(code: "unsupported_grant_type", description: description, status: 400)
    }
}
