import Logging
import PluginAPI

/// Decides whether a VPN client may connect to a node (the node asks on every connect) and which connected
/// clients are no longer valid (the node's reconciliation): the configuration is in the ledger and unexpired, its
/// user enabled and still allowed on the profile, and it was issued for this profile and node.
struct NodeAdmission: Sendable {
    let store: any SQLStore
    let catalog: ProfileCatalog
    let clock: any WallClock

    func decide(nodeID: String, profileID: String, commonName: String, logger: Logger) async throws -> NodeWire.AuthorizeResponse {
        let now = clock.secondsSince1970
        guard let row = try await store.first(
            """
            SELECT c.user_id, c.profile_id, c.node_id, c.expires_at, u.disabled FROM vpn_configurations c
            JOIN users u ON u.user_id = c.user_id WHERE c.credential_id = \(commonName)
            """)
        else { return Self.deny("unknown or revoked certificate") }
        let userID = try row.string("user_id")
        if try row.bool("disabled") { return Self.deny("the user is disabled") }
        let expiresAt = try row.int("expires_at")
        if expiresAt <= now { return Self.deny("the certificate has expired") }
        if try row.string("profile_id") != profileID { return Self.deny("the certificate is for another profile") }
        if try row.string("node_id") != nodeID { return Self.deny("the certificate is for another node") }
        guard let profile = try await catalog.entries(logger: logger).first(where: { $0.profile.id == profileID })?.profile else {
            return Self.deny("the profile no longer exists")
        }
        if profile.requiredPermissions != nil {
            let permissions = Set(try await store.query(
                """
                SELECT permission FROM user_permissions WHERE user_id = \(userID)
                UNION SELECT permission FROM user_provider_permissions WHERE user_id = \(userID)
                """
            ).map { try $0.string("permission") })
            if !profile.permits(permissions) { return Self.deny("the user may no longer use the profile") }
        }
        return NodeWire.AuthorizeResponse(allow: true, reason: nil, userID: userID, expiresAt: expiresAt)
    }

    /// Of `commonNames` (clients connected to `nodeID`), those that must go.
    func invalid(_ commonNames: [String], nodeID: String) async throws -> [String] {
        guard !commonNames.isEmpty else { return [] }
        let now = clock.secondsSince1970
        var valid = Set<String>()
        for start in stride(from: 0, to: commonNames.count, by: 200) {
            let chunk = commonNames[start..<min(start + 200, commonNames.count)]
            var list: SQLQuery = ""
            for (index, name) in chunk.enumerated() { list = index == 0 ? "\(name)" : "\(list), \(name)" }
            for row in try await store.query(
                """
                SELECT c.credential_id FROM vpn_configurations c JOIN users u ON u.user_id = c.user_id
                WHERE c.credential_id IN (\(list)) AND c.expires_at > \(now) AND u.disabled = 0 AND c.node_id = \(nodeID)
                """)
            {
                valid.insert(try row.string("credential_id"))
            }
        }
        return commonNames.filter { !valid.contains($0) }
    }

    private static func deny(_ reason: String) -> NodeWire.AuthorizeResponse {
        NodeWire.AuthorizeResponse(allow: false, reason: reason, userID: nil, expiresAt: nil)
    }
}
