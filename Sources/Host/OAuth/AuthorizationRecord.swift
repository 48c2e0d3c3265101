/// An app's authorization as the store keeps it (`oauth_authorizations`). Tokens themselves are never stored: codes
/// and tokens are signed (``TokenCodec``) and only the refresh generation that is current is kept.
struct AuthorizationRecord: Sendable, Equatable {
    var key: AuthorizationKey
    var userID: String
    var clientID: String
    var scope: String
    var redirectURI: String
    var codeChallenge: String
    var createdAt: Int64
    var expiresAt: Int64
    /// 0 until the code is exchanged; then the number of the refresh token that is valid.
    var refreshGeneration: Int64
    var lastUsedAt: Int64?
}
