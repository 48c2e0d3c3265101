import PluginAPI

/// The host's users table: who exists, who is an admin, who is disabled, which permissions they hold.
///
/// Every authentication provider's users land here on first login, so that admins can list and disable them.
struct UserDirectory: Sendable {
    let store: any SQLStore
    let clock: any WallClock
    /// Announces disabled and deleted users, so that every replica drops their cached authorizations.
    let feed: any ChangeFeed

    /// Adds a user.
    /// - Throws: ``PluginError`` `.conflict` when the id is taken, `.invalidRequest` when it is malformed.
    func add(
        _ userID: String, displayName: String? = nil, authProvider: String, isAdmin: Bool = false,
        permissions: [String] = []
    ) async throws {
        guard UserRecord.isValidID(userID) else {
            throw PluginError.invalidRequest("'\(userID)' is not a valid user name (1 to 128 characters, no spaces)")
        }
        let now = clock.secondsSince1970
        do {
            try await store.withTransaction { tx in
                try await tx.execute(
                    """
                    INSERT INTO users (user_id, display_name, auth_provider, is_admin, disabled, created_at)
                    VALUES (\(userID), \(displayName.sqlValue), \(authProvider), \(isAdmin), \(false), \(now))
                    """)
                for permission in Set(permissions) {
                    try await tx.execute(
                        "INSERT INTO user_permissions (user_id, permission) VALUES (\(userID), \(permission))")
                }
            }
        } catch let error as StoreError where error.code == .uniqueViolation {
            throw PluginError.conflict("the user '\(userID)' already exists")
        }
    }

    /// The user, or `nil`.
    func find(_ userID: String) async throws -> UserRecord? {
        guard let row = try await store.first("SELECT * FROM users WHERE user_id = \(userID)") else { return nil }
        let permissions = try await store.query(
            "SELECT permission FROM user_permissions WHERE user_id = \(userID) ORDER BY permission"
        ).map { try $0.string("permission") }
        return try Self.record(row, permissions: permissions)
    }

    /// All users, sorted by id.
    func list() async throws -> [UserRecord] {
        var permissions: [String: [String]] = [:]
        for row in try await store.query("SELECT user_id, permission FROM user_permissions ORDER BY permission") {
            permissions[try row.string("user_id"), default: []].append(try row.string("permission"))
        }
        return try await store.query("SELECT * FROM users ORDER BY user_id").map { row in
            try Self.record(row, permissions: permissions[try row.string("user_id")] ?? [])
        }
    }

    /// Disables or enables a user. A disabled user cannot log in.
    /// - Throws: ``PluginError`` `.notFound`.
    func setDisabled(_ userID: String, _ disabled: Bool) async throws {
        let rows = try await store.withTransaction { tx in
            let rows = try await tx.query("UPDATE users SET disabled = \(disabled) WHERE user_id = \(userID) RETURNING user_id")
            if disabled && !rows.isEmpty {
                // As the reference: a disabled user's apps lose their authorizations and configurations.
                try await tx.execute("DELETE FROM oauth_authorizations WHERE user_id = \(userID)")
                try await tx.execute("DELETE FROM portal_sessions WHERE user_id = \(userID)")
                // Portal downloads too (they have no authorization): nodes disconnect every client of the user.
                try await tx.execute("DELETE FROM vpn_configurations WHERE user_id = \(userID)")
                try await feed.publish(.user(userID), on: tx)
            }
            return rows
        }
        guard !rows.isEmpty else { throw PluginError.notFound("no user '\(userID)'") }
    }

    /// Deletes a user and their permissions.
    /// - Throws: ``PluginError`` `.notFound`.
    func delete(_ userID: String) async throws {
        let rows = try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM user_permissions WHERE user_id = \(userID)")
            let rows = try await tx.query("DELETE FROM users WHERE user_id = \(userID) RETURNING user_id")
            try await feed.publish(.user(userID), on: tx)
            return rows
        }
        guard !rows.isEmpty else { throw PluginError.notFound("no user '\(userID)'") }
    }

    /// Stores the permissions a provider gave at login (LDAP groups, RADIUS Class, OIDC claims) when they changed,
    /// so the API's profile ACLs see them until the next login; tells every replica.
    /// - Returns: whether they changed.
    @discardableResult
    func replaceProviderPermissions(_ userID: String, with permissions: Set<String>) async throws -> Bool {
        let stored = Set(try await store.query("SELECT permission FROM user_provider_permissions WHERE user_id = \(userID)")
            .map { try $0.string("permission") })
        guard stored != permissions else { return false }
        try await store.withTransaction { tx in
            try await tx.execute("DELETE FROM user_provider_permissions WHERE user_id = \(userID)")
            for permission in permissions {
                try await tx.execute("INSERT INTO user_provider_permissions (user_id, permission) VALUES (\(userID), \(permission))")
            }
            try await feed.publish(.user(userID), on: tx)
        }
        return true
    }

    /// Records a successful login.
    func recordLogin(_ userID: String) async throws {
        try await store.execute("UPDATE users SET last_login_at = \(clock.secondsSince1970) WHERE user_id = \(userID)")
    }

    /// Whether any admin exists.
    func hasAdmin() async throws -> Bool {
        try await store.first("SELECT user_id FROM users WHERE is_admin = 1 LIMIT 1") != nil
    }

    private static func record(_ row: SQLRow, permissions: [String]) throws -> UserRecord {
        UserRecord(
            userID: try row.string("user_id"), displayName: try row.optionalString("display_name"),
            authProvider: try row.string("auth_provider"), isAdmin: try row.bool("is_admin"),
            disabled: try row.bool("disabled"), permissions: permissions, createdAt: try row.int("created_at"))
    }
}
