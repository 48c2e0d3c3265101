import PluginAPI

/// The host's own schema: users, their permissions, encrypted secrets.
enum HostMigrations {
    static let scope = "host"

    static let all: [Migration] = [
        Migration(version: 1, name: "users, permissions, secrets") { dialect in
            [
                """
                CREATE TABLE users (
                    user_id TEXT PRIMARY KEY, display_name TEXT, auth_provider TEXT NOT NULL,
                    is_admin BIGINT NOT NULL DEFAULT 0, disabled BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL, last_login_at BIGINT)
                """,
                """
                CREATE TABLE user_permissions (
                    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
                    permission TEXT NOT NULL, PRIMARY KEY (user_id, permission))
                """,
                """
                CREATE TABLE secrets (
                    scope TEXT NOT NULL, name TEXT NOT NULL, sealed \(unsafeRaw: dialect.blobType) NOT NULL,
                    created_at BIGINT NOT NULL, PRIMARY KEY (scope, name))
                """,
            ]
        }
    ]
}
