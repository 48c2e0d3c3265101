import PluginAPI

/// The host's own schema: users, their permissions, encrypted secrets, OAuth authorizations, issued VPN
/// configurations and portal sessions.
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
        },
        Migration(version: 2, name: "OAuth authorizations, issued VPN configurations, portal sessions") { _ in
            [
                """
                CREATE TABLE oauth_authorizations (
                    auth_key TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
                    client_id TEXT NOT NULL, scope TEXT NOT NULL, redirect_uri TEXT NOT NULL, code_challenge TEXT NOT NULL,
                    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL, refresh_generation BIGINT NOT NULL DEFAULT 0,
                    last_used_at BIGINT)
                """,
                "CREATE INDEX oauth_authorizations_user ON oauth_authorizations (user_id)",
                """
                CREATE TABLE vpn_configurations (
                    credential_id TEXT PRIMARY KEY, protocol TEXT NOT NULL,
                    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
                    profile_id TEXT NOT NULL, node_id TEXT NOT NULL,
                    auth_key TEXT REFERENCES oauth_authorizations (auth_key) ON DELETE CASCADE,
                    created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
                """,
                "CREATE INDEX vpn_configurations_user ON vpn_configurations (user_id, created_at)",
                // One configuration per authorization (NULL: portal downloads, any number).
                "CREATE UNIQUE INDEX vpn_configurations_auth ON vpn_configurations (auth_key)",
                """
                CREATE TABLE portal_sessions (
                    session_hash TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
                    csrf_token TEXT NOT NULL, created_at BIGINT NOT NULL, expires_at BIGINT NOT NULL)
                """,
                "CREATE INDEX portal_sessions_user ON portal_sessions (user_id)",
            ]
        },
        Migration(version: 3, name: "login failures for throttling") { _ in
            [
                """
                CREATE TABLE login_failures (
                    throttle_key TEXT PRIMARY KEY, window_start BIGINT NOT NULL, failures BIGINT NOT NULL)
                """
            ]
        },
        Migration(version: 4, name: "permissions from auth providers, refreshed at each login") { _ in
            [
                """
                CREATE TABLE user_provider_permissions (
                    user_id TEXT NOT NULL REFERENCES users (user_id) ON DELETE CASCADE,
                    permission TEXT NOT NULL, PRIMARY KEY (user_id, permission))
                """
            ]
        },
        Migration(version: 5, name: "pending browser logins through redirect providers") { _ in
            [
                """
                CREATE TABLE login_redirects (
                    handle_hash TEXT PRIMARY KEY, provider TEXT NOT NULL, state TEXT NOT NULL, return_to TEXT NOT NULL,
                    expires_at BIGINT NOT NULL)
                """
            ]
        },
        Migration(version: 6, name: "node registry, credential revocations, connection log") { dialect in
            let serial = dialect == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
            var statements: [SQLQuery] = [
                """
                CREATE TABLE nodes (
                    node_id TEXT PRIMARY KEY, join_token_hash TEXT UNIQUE, join_expires_at BIGINT,
                    enrolled_at BIGINT, certificate_expires_at BIGINT, last_seen_at BIGINT,
                    cpu_count BIGINT NOT NULL DEFAULT 0, load_percent BIGINT NOT NULL DEFAULT 0,
                    uptime BIGINT NOT NULL DEFAULT 0, connection_count BIGINT NOT NULL DEFAULT 0,
                    created_at BIGINT NOT NULL)
                """,
                // Every configuration that stops being valid, for nodes to disconnect its client and to keep a
                // revocation list for when the controller is unreachable. Filled by triggers, so that no code path
                // (an upsert, an eviction, a cascade from a revoked authorization or a disabled user) is missed.
                """
                CREATE TABLE credential_revocations (
                    seq \(unsafeRaw: serial), credential_id TEXT NOT NULL, node_id TEXT NOT NULL,
                    expires_at BIGINT NOT NULL, revoked_at BIGINT NOT NULL)
                """,
                "CREATE INDEX credential_revocations_time ON credential_revocations (revoked_at)",
                """
                CREATE TABLE connection_log (
                    session_key TEXT PRIMARY KEY, node_id TEXT NOT NULL, user_id TEXT, profile_id TEXT NOT NULL,
                    credential_id TEXT NOT NULL, ipv4 TEXT, ipv6 TEXT, originating_address TEXT,
                    connected_at BIGINT NOT NULL, disconnected_at BIGINT, bytes_in BIGINT, bytes_out BIGINT)
                """,
                "CREATE INDEX connection_log_time ON connection_log (connected_at)",
                "CREATE INDEX connection_log_user ON connection_log (user_id, connected_at)",
            ]
            if dialect == .postgres {
                statements += [
                    """
                    CREATE FUNCTION portolan_revoke_credential() RETURNS trigger LANGUAGE plpgsql AS $$
                    BEGIN
                        IF TG_OP = 'DELETE' OR OLD.credential_id <> NEW.credential_id THEN
                            INSERT INTO credential_revocations (credential_id, node_id, expires_at, revoked_at)
                            VALUES (OLD.credential_id, OLD.node_id, OLD.expires_at, CAST(extract(epoch FROM now()) AS BIGINT));
                            PERFORM pg_notify('portolan_changes', 'r');
                        END IF;
                        RETURN NULL;
                    END $$
                    """,
                    """
                    CREATE TRIGGER vpn_configurations_revoke AFTER DELETE OR UPDATE OF credential_id ON vpn_configurations
                    FOR EACH ROW EXECUTE FUNCTION portolan_revoke_credential()
                    """,
                ]
            } else {
                statements += [
                    """
                    CREATE TRIGGER vpn_configurations_revoke_delete AFTER DELETE ON vpn_configurations BEGIN
                        INSERT INTO credential_revocations (credential_id, node_id, expires_at, revoked_at)
                        VALUES (OLD.credential_id, OLD.node_id, OLD.expires_at, CAST(strftime('%s', 'now') AS INTEGER));
                    END
                    """,
                    """
                    CREATE TRIGGER vpn_configurations_revoke_update AFTER UPDATE OF credential_id ON vpn_configurations
                    WHEN OLD.credential_id <> NEW.credential_id BEGIN
                        INSERT INTO credential_revocations (credential_id, node_id, expires_at, revoked_at)
                        VALUES (OLD.credential_id, OLD.node_id, OLD.expires_at, CAST(strftime('%s', 'now') AS INTEGER));
                    END
                    """,
                ]
            }
            return statements
        },
    ]
}
