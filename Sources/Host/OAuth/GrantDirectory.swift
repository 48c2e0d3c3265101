import PluginAPI

/// Looks up the ``Grant`` behind an authorization key: the cache first, the store on a miss.
struct GrantDirectory: Sendable {
    let store: any SQLStore
    let cache: GrantCache

    /// A user's permissions: assigned ones and those their auth provider gave at the last login.
    func permissions(of userID: String) async throws -> Set<String> {
        Set(try await store.query(
            """
            SELECT permission FROM user_permissions WHERE user_id = \(userID)
            UNION SELECT permission FROM user_provider_permissions WHERE user_id = \(userID)
            """
        ).map { try $0.string("permission") })
    }

    /// The grant of a live, exchanged authorization of an enabled user, or `nil`.
    func grant(_ key: AuthorizationKey, now: Int64) async throws -> Grant? {
        let hex = key.hex
        if let grant = cache.grant(hex) { return grant.expiresAt > now ? grant : nil }
        let epoch = cache.epoch
        guard
            let row = try await store.first(
                """
                SELECT a.user_id, a.client_id, a.expires_at, a.created_at, u.disabled FROM oauth_authorizations a
                JOIN users u ON u.user_id = a.user_id
                WHERE a.auth_key = \(hex) AND a.refresh_generation > 0
                """),
            !(try row.bool("disabled"))
        else { return nil }
        let userID = try row.string("user_id")
        let permissions = try await permissions(of: userID)
        let grant = Grant(
            authorizationKey: hex, userID: userID, clientID: try row.string("client_id"),
            expiresAt: try row.int("expires_at"), createdAt: try row.int("created_at"), permissions: permissions)
        cache.insert(grant, ifEpoch: epoch)
        return grant.expiresAt > now ? grant : nil
    }
}
