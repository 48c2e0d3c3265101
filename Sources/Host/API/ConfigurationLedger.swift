import PluginAPI

/// The VPN configurations handed out (`vpn_configurations`): one per authorization at a time, at most
/// `api.max_active_configurations` per user through apps (the oldest makes way).
struct ConfigurationLedger: Sendable {
    struct Entry: Sendable {
        var credentialID: String
        var protocolName: String
        var userID: String
        var profileID: String
        var nodeID: String
        var authorizationKey: String?
        var createdAt: Int64
        var expiresAt: Int64
    }

    let store: any SQLStore

    /// Records `entry`, dropping the authorization's earlier configuration and the user's oldest app configurations
    /// beyond `maxActive`. One statement on PostgreSQL: the eviction skips rows another `/connect` of the same user
    /// holds (`SKIP LOCKED`), so concurrent connects never wait on each other or deadlock; a skipped row is evicted by
    /// the next connect. Two statements on SQLite (one writer; no transaction needed: in between, a user holds at
    /// most one configuration more than allowed).
    /// - Returns: the credential ids that stopped being valid.
    @discardableResult
    func record(_ entry: Entry, maxActive: Int) async throws -> [String] {
        let keep = Int64(max(maxActive - 1, 0))
        let auth = entry.authorizationKey ?? ""
        if store.dialect == .postgres {
            return try await store.query(
                """
                WITH earlier AS (DELETE FROM vpn_configurations WHERE auth_key = \(auth) RETURNING credential_id),
                evicted AS (DELETE FROM vpn_configurations WHERE credential_id IN (
                    SELECT credential_id FROM vpn_configurations
                    WHERE user_id = \(entry.userID) AND auth_key IS NOT NULL AND auth_key <> \(auth)
                    ORDER BY created_at DESC, credential_id OFFSET \(keep) FOR UPDATE SKIP LOCKED) RETURNING credential_id),
                added AS (INSERT INTO vpn_configurations
                    (credential_id, protocol, user_id, profile_id, node_id, auth_key, created_at, expires_at)
                    VALUES (\(entry.credentialID), \(entry.protocolName), \(entry.userID), \(entry.profileID), \(entry.nodeID),
                        \(entry.authorizationKey.sqlValue), \(entry.createdAt), \(entry.expiresAt)) RETURNING credential_id)
                SELECT credential_id FROM earlier UNION ALL SELECT credential_id FROM evicted
                """
            ).map { try $0.string("credential_id") }
        }
        try await store.execute(
            """
            INSERT INTO vpn_configurations (credential_id, protocol, user_id, profile_id, node_id, auth_key, created_at, expires_at)
            VALUES (\(entry.credentialID), \(entry.protocolName), \(entry.userID), \(entry.profileID), \(entry.nodeID),
                \(entry.authorizationKey.sqlValue), \(entry.createdAt), \(entry.expiresAt))
            """)
        return try await store.query(
            """
            DELETE FROM vpn_configurations
            WHERE (auth_key = \(auth) AND credential_id <> \(entry.credentialID)) OR credential_id IN (
                SELECT credential_id FROM vpn_configurations
                WHERE user_id = \(entry.userID) AND auth_key IS NOT NULL AND auth_key <> \(auth)
                ORDER BY created_at DESC, credential_id LIMIT -1 OFFSET \(keep))
            RETURNING credential_id
            """
        ).map { try $0.string("credential_id") }
    }

    /// Drops the configuration of an authorization (`/disconnect`).
    /// - Returns: the credential ids dropped.
    @discardableResult
    func release(authorizationKey: String) async throws -> [String] {
        try await store.query("DELETE FROM vpn_configurations WHERE auth_key = \(authorizationKey) RETURNING credential_id")
            .map { try $0.string("credential_id") }
    }

    /// Whether a credential is valid now (the node daemon asks when a client connects).
    func isValid(credentialID: String, now: Int64) async throws -> Bool {
        try await store.first(
            "SELECT credential_id FROM vpn_configurations WHERE credential_id = \(credentialID) AND expires_at > \(now)") != nil
    }
}
