import Logging
import PluginAPI

/// The OAuth 2.1 authorization server's logic, free of HTTP: issuing codes, the two grants, revocation, and checking
/// access tokens.
struct TokenService: Sendable {
    /// The token endpoint's success body.
    struct TokenResponse: Sendable, Encodable, Equatable {
        var access_token: String
        var refresh_token: String
        var token_type = "bearer"
        var expires_in: Int64
    }

    static let supportedScope = "config"

    let settings: OAuthSettings
    let clients: OAuthClientRegistry
    let codec: TokenCodec
    let authorizations: AuthorizationStore
    let grants: GrantDirectory
    let clock: any WallClock
    let logger: Logger

    /// Records an approved authorization and returns its code.
    func issueCode(userID: String, client: OAuthClient, redirectURI: String, codeChallenge: String, scope: String)
        async throws -> String
    {
        let now = clock.secondsSince1970
        let key = AuthorizationKey.random()
        let expiry = settings.sessionExpiryByPermission.isEmpty
            ? settings.sessionExpiry : settings.sessionExpiry(for: try await grants.permissions(of: userID))
        try await authorizations.createPending(
            AuthorizationRecord(
                key: key, userID: userID, clientID: client.id, scope: scope, redirectURI: redirectURI,
                codeChallenge: codeChallenge, createdAt: now, expiresAt: now + expiry, refreshGeneration: 0))
        logger.info("authorization approved", metadata: ["user.id": "\(userID)", "client.id": "\(client.id)"])
        return codec.encode(.init(kind: .authorizationCode, authorizationKey: key, generation: 0, expiresAt: now + settings.codeExpiry))
    }

    /// `grant_type=authorization_code`. A code that is replayed, or presented with the wrong client, redirect URI or
    /// verifier, ends its authorization.
    func exchange(code: String, clientID: String, redirectURI: String, verifier: String) async throws(OAuthError) -> TokenResponse {
        guard clients.client(clientID) != nil else { throw .invalidClient("unknown client_id") }
        let now = clock.secondsSince1970
        guard let claims = codec.decode(code, as: .authorizationCode) else { throw .invalidGrant("the code is not valid") }
        let record: AuthorizationRecord
        do {
            guard let found = try await authorizations.find(claims.authorizationKey) else {
                throw OAuthError.invalidGrant("the code is not valid (unknown or revoked)")
            }
            record = found
            func reject(_ description: String) async throws -> OAuthError {
                try await authorizations.revoke(claims.authorizationKey)
                logger.notice("authorization code rejected, authorization revoked",
                    metadata: ["reason": "\(description)", "client.id": "\(clientID)"])
                return .invalidGrant(description)
            }
            if record.refreshGeneration > 0 { throw try await reject("the code was used already; its authorization is revoked") }
            if claims.expiresAt <= now { throw try await reject("the code has expired") }
            if record.clientID != clientID { throw try await reject("the code was issued to another client") }
            if record.redirectURI != redirectURI { throw try await reject("redirect_uri differs from the authorization request") }
            if !PKCE.verify(verifier: verifier, challenge: record.codeChallenge) {
                throw try await reject("code_verifier does not match the code_challenge")
            }
            guard try await authorizations.claimCode(claims.authorizationKey, now: now) else {
                throw try await reject("the code was used already; its authorization is revoked")
            }
        } catch let error as OAuthError {
            throw error
        } catch {
            throw Self.storeFailure(error, logger: logger)
        }
        return tokens(for: record.key, expiresAt: record.expiresAt, generation: 1, now: now)
    }

    /// `grant_type=refresh_token`: rotates the refresh token. Presenting one that was rotated away already ends the
    /// authorization (RFC 9700 §4.14.2).
    func refresh(token: String, clientID: String) async throws(OAuthError) -> TokenResponse {
        guard clients.client(clientID) != nil else { throw .invalidClient("unknown client_id") }
        let now = clock.secondsSince1970
        guard let claims = codec.decode(token, as: .refreshToken) else { throw .invalidGrant("the refresh token is not valid") }
        guard claims.expiresAt > now else { throw .invalidGrant("the refresh token has expired") }
        do {
            if let rotation = try await authorizations.rotate(claims.authorizationKey, from: Int64(claims.generation), clientID: clientID, now: now) {
                return tokens(for: claims.authorizationKey, expiresAt: rotation.expiresAt, generation: rotation.refreshGeneration, now: now)
            }
            guard let record = try await authorizations.find(claims.authorizationKey) else {
                throw OAuthError.invalidGrant("the authorization was revoked")
            }
            if record.clientID != clientID { throw OAuthError.invalidGrant("the refresh token was issued to another client") }
            if record.expiresAt <= now { throw OAuthError.invalidGrant("the authorization has expired") }
            if record.refreshGeneration > Int64(claims.generation) {
                try await authorizations.revoke(claims.authorizationKey)
                logger.notice("a rotated refresh token was reused; authorization revoked",
                    metadata: ["user.id": "\(record.userID)", "client.id": "\(clientID)"])
                throw OAuthError.invalidGrant("the refresh token was used already; its authorization is revoked")
            }
            throw OAuthError.invalidGrant("the refresh token is not valid")
        } catch let error as OAuthError {
            throw error
        } catch {
            throw Self.storeFailure(error, logger: logger)
        }
    }

    /// RFC 7009: ends the authorization behind an access or refresh token. Unknown or malformed tokens are not an
    /// error (§2.2). A `clientID` that is given must be the token's.
    func revoke(token: String, clientID: String?) async throws {
        let claims = codec.decode(token, as: .refreshToken) ?? codec.decode(token, as: .accessToken)
        guard let claims else { return }
        if let clientID {
            guard let record = try await authorizations.find(claims.authorizationKey), record.clientID == clientID else { return }
        }
        if try await authorizations.revoke(claims.authorizationKey) {
            logger.info("authorization revoked through the revocation endpoint")
        }
    }

    /// The grant behind a valid access token, or `nil` (malformed, forged, expired, revoked, user disabled).
    func grant(forAccessToken token: String) async throws -> Grant? {
        guard let claims = codec.decode(token, as: .accessToken), claims.expiresAt > clock.secondsSince1970 else { return nil }
        return try await grants.grant(claims.authorizationKey, now: clock.secondsSince1970)
    }

    private func tokens(for key: AuthorizationKey, expiresAt: Int64, generation: Int64, now: Int64) -> TokenResponse {
        let accessExpiry = min(now + settings.accessTokenExpiry, expiresAt)
        let generation = UInt32(truncatingIfNeeded: generation)
        return TokenResponse(
            access_token: codec.encode(.init(kind: .accessToken, authorizationKey: key, generation: generation, expiresAt: accessExpiry)),
            refresh_token: codec.encode(.init(kind: .refreshToken, authorizationKey: key, generation: generation, expiresAt: expiresAt)),
            expires_in: accessExpiry - now)
    }

    private static func storeFailure(_ error: any Error, logger: Logger) -> OAuthError {
        logger.error("token endpoint failed", metadata: ["error": "\(String(reflecting: error))"])
        return OAuthError(code: "temporarily_unavailable", description: "the authorization server cannot reach its store", status: 503)
    }
}
