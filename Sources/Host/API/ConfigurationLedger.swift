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

    /// Records `entry`: it replaces the authorization's earlier configuration (an upsert on the unique `auth_key`),
    /// and the user's oldest app configurations beyond `maxActive` make way.
    ///
    /// PostgreSQL: one statement; the eviction skips rows another `/connect` of the same user holds
    /// (`SKIP LOCKED`), so concurrent connects never wait on each other or deadlock, and a skipped row goes at the
    /// next connect. SQLite (one writer): one transaction, in which the upsert reports the user's count and only a
    /// user over the limit costs a second statement (without the transaction, concurrent connects of one user
    /// evicted too much). Configurations that stop being valid are not reported: nodes reconcile their sessions
    /// against this ledger.
    func record(_ entry: Entry, maxActive: Int) async throws {
        let keep = Int64(max(maxActive - 1, 0))
        let auth = entry.authorizationKey ?? ""
        let upsert: SQLQuery = """
            INSERT INTO vpn_configurations (credential_id, protocol, user_id, profile_id, node_id, auth_key, created_at, expires_at)
            VALUES (\(entry.credentialID), \(entry.protocolName), \(entry.userID), \(entry.profileID), \(entry.nodeID),
                \(entry.authorizationKey.sqlValue), \(entry.createdAt), \(entry.expiresAt))
            ON CONFLICT (auth_key) DO UPDATE SET credential_id = excluded.credential_id, protocol = excluded.protocol,
                profile_id = excluded.profile_id, node_id = excluded.node_id, created_at = excluded.created_at,
                expires_at = excluded.expires_at
            """
        let eviction: SQLQuery = """
            SELECT credential_id FROM vpn_configurations
            WHERE user_id = \(entry.userID) AND auth_key IS NOT NULL AND auth_key <> \(auth)
            ORDER BY created_at DESC, credential_id
            """
        if store.dialect == .postgres {
            try await Self.retryingTransient { try await store.execute(
                """
                WITH added AS (\(upsert) RETURNING credential_id),
                evicted AS (DELETE FROM vpn_configurations WHERE credential_id IN (
                    \(eviction) OFFSET \(keep) FOR UPDATE SKIP LOCKED) RETURNING credential_id)
                SELECT (SELECT count(*) FROM evicted) AS evicted
                """) }
            return
        }
        try await store.withTransaction { tx in
            let active = try await tx.first(
                """
                \(upsert)
                RETURNING (SELECT count(*) FROM vpn_configurations WHERE user_id = \(entry.userID) AND auth_key IS NOT NULL) AS active
                """
            ).map { try $0.int("active") } ?? 0
            if active > Int64(maxActive) {
                try await tx.execute("DELETE FROM vpn_configurations WHERE credential_id IN (\(eviction) LIMIT -1 OFFSET \(keep))")
            }
        }
    }

    /// Runs `body` again (up to 3 times in all) when PostgreSQL broke a deadlock by aborting it: two connects of one
    /// authorization at the same moment can deadlock on the upsert and the eviction.
    static func retryingTransient(_ body: () async throws -> Void) async throws {
        for attempt in 1...3 {
            do {
                return try await body()
            } catch let error as StoreError where error.code == .transient && attempt < 3 {
                continue
            }
        }
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
