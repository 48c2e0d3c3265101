import PluginAPI

/// Reads `credential_revocations` for nodes: what stopped being valid since a node's cursor.
///
/// Rows are numbered by a sequence, but on PostgreSQL a lower number can commit after a higher one; each answer
/// therefore also repeats the last `overlap` seconds, and nodes keep the list as a set.
struct RevocationLog: Sendable {
    let store: any SQLStore
    let clock: any WallClock
    var overlap: Int64 = 10

    func since(_ cursor: Int64, limit: Int = 5_000) async throws -> NodeWire.RevocationList {
        let now = clock.secondsSince1970
        let rows = try await store.query(
            """
            SELECT seq, credential_id, expires_at FROM credential_revocations
            WHERE (seq > \(cursor) OR revoked_at >= \(now - overlap)) AND expires_at > \(now)
            ORDER BY seq LIMIT \(Int64(limit))
            """)
        let revocations = try rows.map {
            NodeWire.Revocation(seq: try $0.int("seq"), commonName: try $0.string("credential_id"), expiresAt: try $0.int("expires_at"))
        }
        return NodeWire.RevocationList(revocations: revocations, cursor: max(cursor, revocations.map(\.seq).max() ?? cursor))
    }

    /// Whether anything was revoked after `cursor` (cheap check for the long-poll).
    func hasNews(after cursor: Int64) async throws -> Bool {
        try await store.first("SELECT seq FROM credential_revocations WHERE seq > \(cursor) LIMIT 1") != nil
    }

    /// Deletes revocations of certificates that have expired anyway.
    static func purge(store: any SQLStore, now: Int64) async throws -> Int {
        try await store.query("DELETE FROM credential_revocations WHERE expires_at <= \(now) RETURNING seq").count
    }
}
