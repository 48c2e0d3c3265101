import PluginAPI

/// The connection log (`connection_log`): one row per VPN session, opened by the node's connect event and closed,
/// with bytes, by its disconnect event. Keyed by node and session, so a batch delivered twice changes nothing.
struct ConnectionLog: Sendable {
    struct Entry: Sendable, Codable, Equatable {
        var nodeID: String
        var userID: String?
        var profileID: String
        var commonName: String
        var ipv4: String?
        var ipv6: String?
        var originatingAddress: String?
        var connectedAt: Int64
        var disconnectedAt: Int64?
        var bytesIn: Int64?
        var bytesOut: Int64?

        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id", userID = "user_id", profileID = "profile_id", commonName = "common_name", ipv4, ipv6,
                originatingAddress = "originating_address", connectedAt = "connected_at", disconnectedAt = "disconnected_at",
                bytesIn = "bytes_in", bytesOut = "bytes_out"
        }
    }

    let store: any SQLStore

    /// Records a node's events in order, in one transaction.
    func record(_ events: [NodeEvent], nodeID: String) async throws {
        try await store.withTransaction { tx in
            for event in events {
                let key = "\(nodeID):\(event.session)"
                switch event.kind {
                case .connect:
                    try await tx.execute(
                        """
                        INSERT INTO connection_log (session_key, node_id, user_id, profile_id, credential_id, ipv4, ipv6,
                            originating_address, connected_at)
                        VALUES (\(key), \(nodeID),
                            COALESCE(\(event.userID.sqlValue), (SELECT user_id FROM vpn_configurations WHERE credential_id = \(event.commonName))),
                            \(event.profileID), \(event.commonName), \(event.ipv4.sqlValue), \(event.ipv6.sqlValue),
                            \(event.originatingAddress.sqlValue), \(event.at))
                        ON CONFLICT (session_key) DO NOTHING
                        """)
                case .disconnect:
                    try await tx.execute(
                        """
                        UPDATE connection_log SET disconnected_at = \(event.at), bytes_in = \(event.bytesIn.sqlValue),
                            bytes_out = \(event.bytesOut.sqlValue)
                        WHERE session_key = \(key) AND disconnected_at IS NULL
                        """)
                }
            }
        }
    }

    /// The newest `limit` sessions, newest first; `openOnly` for the connected ones.
    func list(limit: Int, openOnly: Bool = false) async throws -> [Entry] {
        let filter: SQLQuery = openOnly ? "WHERE disconnected_at IS NULL" : ""
        return try await store.query(
            "SELECT * FROM connection_log \(filter) ORDER BY connected_at DESC, session_key LIMIT \(Int64(limit))"
        ).map { row in
            Entry(
                nodeID: try row.string("node_id"), userID: try row.optionalString("user_id"), profileID: try row.string("profile_id"),
                commonName: try row.string("credential_id"), ipv4: try row.optionalString("ipv4"), ipv6: try row.optionalString("ipv6"),
                originatingAddress: try row.optionalString("originating_address"), connectedAt: try row.int("connected_at"),
                disconnectedAt: try row.optionalInt("disconnected_at"), bytesIn: try row.optionalInt("bytes_in"),
                bytesOut: try row.optionalInt("bytes_out"))
        }
    }
}
