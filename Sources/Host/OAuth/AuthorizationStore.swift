import PluginAPI

/// Reads and changes `oauth_authorizations`. Every change that ends an authorization tells the ``ChangeFeed``
/// so that every replica's ``GrantCache`` drops it.
struct AuthorizationStore: Sendable {
    let store: any SQLStore
    let feed: any ChangeFeed

    /// Records an authorization whose code is not exchanged yet.
    func createPending(_ record: AuthorizationRecord) async throws {
        try await store.execute(
            """
            INSERT INTO oauth_authorizations (auth_key, user_id, client_id, scope, redirect_uri, code_challenge,
                created_at, expires_at, refresh_generation)
            VALUES (\(record.key.hex), \(record.userID), \(record.clientID), \(record.scope), \(record.redirectURI),
                \(record.codeChallenge), \(record.createdAt), \(record.expiresAt), \(0))
            """)
    }

    func find(_ key: AuthorizationKey) async throws -> AuthorizationRecord? {
        try await store.first("SELECT * FROM oauth_authorizations WHERE auth_key = \(key.hex)").map(Self.record)
    }

    /// Marks the code as exchanged (generation 0 → 1) unless another request did so first.
    /// - Returns: whether this call won.
    func claimCode(_ key: AuthorizationKey, now: Int64) async throws -> Bool {
        !(try await store.query(
            """
            UPDATE oauth_authorizations SET refresh_generation = 1, last_used_at = \(now)
            WHERE auth_key = \(key.hex) AND refresh_generation = 0 RETURNING auth_key
            """
        ).isEmpty)
    }

    /// What a refresh needs back from ``rotate(_:from:clientID:now:)``.
    struct Rotation: Sendable {
        var refreshGeneration: Int64
        var expiresAt: Int64
    }

    /// Moves the refresh generation from `generation` to the next one, if it is current and the authorization lives.
    /// - Returns: the authorization after the move, or `nil` when the token was not current.
    func rotate(_ key: AuthorizationKey, from generation: Int64, clientID: String, now: Int64) async throws -> Rotation? {
        try await store.first(
            """
            UPDATE oauth_authorizations SET refresh_generation = refresh_generation + 1, last_used_at = \(now)
            WHERE auth_key = \(key.hex) AND refresh_generation = \(generation) AND client_id = \(clientID)
                AND expires_at > \(now)
            RETURNING refresh_generation, expires_at
            """
        ).map { row in
            Rotation(refreshGeneration: try row.int("refresh_generation"), expiresAt: try row.int("expires_at"))
        }
    }

    /// Deletes an authorization (its issued configurations go with it) and tells every replica.
    /// - Returns: whether it existed.
    @discardableResult
    func revoke(_ key: AuthorizationKey) async throws -> Bool {
        let rows = try await store.withTransaction { tx in
            let rows = try await tx.query("DELETE FROM oauth_authorizations WHERE auth_key = \(key.hex) RETURNING auth_key")
            try await feed.publish(.authorization(key.hex), on: tx)
            return rows
        }
        return !rows.isEmpty
    }

    /// Deletes every authorization of a user (disabled, deleted) and tells every replica.
    func revokeAll(userID: String) async throws {
        try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM oauth_authorizations WHERE user_id = \(userID)")
            try await feed.publish(.user(userID), on: tx)
        }
    }

    /// The user's live, exchanged authorizations, newest first (for the portal's list of apps).
    func list(userID: String, now: Int64) async throws -> [AuthorizationRecord] {
        try await store.query(
            """
            SELECT * FROM oauth_authorizations
            WHERE user_id = \(userID) AND refresh_generation > 0 AND expires_at > \(now) ORDER BY created_at DESC
            """
        ).map(Self.record)
    }

    /// Deletes expired authorizations and codes never exchanged in time (they end no live grant, so no notice).
    /// - Returns: how many were deleted.
    static func purgeExpired(store: any SQLStore, now: Int64, codeExpiry: Int64) async throws -> Int {
        try await store.query(
            """
            DELETE FROM oauth_authorizations
            WHERE expires_at <= \(now) OR (refresh_generation = 0 AND created_at <= \(now - codeExpiry))
            RETURNING auth_key
            """
        ).count
    }

    static func record(_ row: SQLRow) throws -> AuthorizationRecord {
        let keyText = try row.string("auth_key")
        guard let key = AuthorizationKey(hex: keyText) else {
            throw StoreError(.queryFailed, "malformed authorization key in oauth_authorizations")
        }
        return AuthorizationRecord(
            key: key, userID: try row.string("user_id"), clientID: try row.string("client_id"),
            scope: try row.string("scope"), redirectURI: try row.string("redirect_uri"),
            codeChallenge: try row.string("code_challenge"), createdAt: try row.int("created_at"),
            expiresAt: try row.int("expires_at"), refreshGeneration: try row.int("refresh_generation"),
            lastUsedAt: try row.optionalInt("last_used_at"))
    }
}
