import PluginAPI

/// The node registry (`nodes`): enrolment with one-time join tokens, health from heartbeats.
struct NodeRegistry: Sendable {
    let store: any SQLStore
    let clock: any WallClock

    enum AddResult: Equatable { case added, reissued }

    /// Registers `nodeID` (or re-issues its join token, for a re-installed node) with a token valid until `expiresAt`.
    func add(_ nodeID: String, tokenHash: String, expiresAt: Int64) async throws -> AddResult {
        let now = clock.secondsSince1970
        let updated = try await store.query(
            """
            UPDATE nodes SET join_token_hash = \(tokenHash), join_expires_at = \(expiresAt)
            WHERE node_id = \(nodeID) RETURNING node_id
            """)
        if !updated.isEmpty { return .reissued }
        try await store.execute(
            """
            INSERT INTO nodes (node_id, join_token_hash, join_expires_at, created_at)
            VALUES (\(nodeID), \(tokenHash), \(expiresAt), \(now))
            """)
        return .added
    }

    /// Uses a join token: `true` when it was the node's current, unexpired token (it is then spent).
    func redeem(_ token: JoinToken, certificateExpiresAt: Int64) async throws -> Bool {
        let now = clock.secondsSince1970
        return try await !store.query(
            """
            UPDATE nodes SET join_token_hash = NULL, join_expires_at = NULL, enrolled_at = \(now),
                certificate_expires_at = \(certificateExpiresAt)
            WHERE node_id = \(token.nodeID) AND join_token_hash = \(token.secretHash) AND join_expires_at > \(now)
            RETURNING node_id
            """
        ).isEmpty
    }

    /// Marks a node enrolled without a token (the node `portolan serve` runs in-process).
    func enrolDirectly(_ nodeID: String, certificateExpiresAt: Int64) async throws {
        let now = clock.secondsSince1970
        try await store.execute(
            """
            INSERT INTO nodes (node_id, enrolled_at, certificate_expires_at, created_at)
            VALUES (\(nodeID), \(now), \(certificateExpiresAt), \(now))
            ON CONFLICT (node_id) DO UPDATE SET enrolled_at = excluded.enrolled_at,
                certificate_expires_at = excluded.certificate_expires_at
            """)
    }

    /// Whether `nodeID` is enrolled (a removed node's certificate stops working at once).
    func isEnrolled(_ nodeID: String) async throws -> Bool {
        try await store.first("SELECT node_id FROM nodes WHERE node_id = \(nodeID) AND enrolled_at IS NOT NULL") != nil
    }

    func renewed(_ nodeID: String, certificateExpiresAt: Int64) async throws {
        try await store.execute("UPDATE nodes SET certificate_expires_at = \(certificateExpiresAt) WHERE node_id = \(nodeID)")
    }

    func heartbeat(_ nodeID: String, _ health: NodeHealth) async throws {
        try await store.execute(
            """
            UPDATE nodes SET last_seen_at = \(clock.secondsSince1970), cpu_count = \(health.cpuCount),
                load_percent = \(health.loadPercent), uptime = \(health.uptime), connection_count = \(health.connectionCount)
            WHERE node_id = \(nodeID)
            """)
    }

    func list() async throws -> [NodeRecord] {
        try await store.query("SELECT * FROM nodes ORDER BY node_id").map { row in
            NodeRecord(
                id: try row.string("node_id"), enrolled: try row.optionalInt("enrolled_at") != nil,
                lastSeenAt: try row.optionalInt("last_seen_at"), cpuCount: try row.int("cpu_count"),
                loadPercent: try row.int("load_percent"), uptime: try row.int("uptime"),
                connectionCount: try row.int("connection_count"), certificateExpiresAt: try row.optionalInt("certificate_expires_at"))
        }
    }

    /// Removes a node; its certificate is refused from then on. - Returns: whether it existed.
    func remove(_ nodeID: String) async throws -> Bool {
        try await !store.query("DELETE FROM nodes WHERE node_id = \(nodeID) RETURNING node_id").isEmpty
    }
}
