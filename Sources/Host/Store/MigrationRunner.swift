import Logging
import PluginAPI

/// Applies versioned migrations, once per store, in one transaction.
///
/// On PostgreSQL the transaction first takes an advisory lock, so that replicas starting at the same moment
/// apply each migration exactly once: the second waits, then finds the versions already recorded.
struct MigrationRunner: Sendable {
    /// A migration set and the scope (plugin id or `host`) it is recorded under.
    struct Scoped: Sendable {
        var scope: String
        var migrations: [Migration]
    }

    /// The advisory lock key: "PORTOLAN" read as digits of a phone keypad, a constant no other app uses.
    static let advisoryLockKey: Int64 = 76_786_526

    let store: any SQLStore
    let logger: Logger

    /// Applies every migration not yet recorded.
    /// - Returns: `scope/version` of each migration applied now.
    @discardableResult
    func apply(_ sets: [Scoped]) async throws -> [String] {
        for set in sets {
            let versions = set.migrations.map(\.version)
            guard Set(versions).count == versions.count, versions.allSatisfy({ $0 > 0 }) else {
                throw PluginError(.internalError, "the migrations of '\(set.scope)' need unique versions of 1 or more")
            }
        }
        let logger = self.logger
        return try await store.withTransaction { tx in
            if tx.dialect == .postgres {
                try await tx.execute("SELECT pg_advisory_xact_lock(\(Self.advisoryLockKey))")
            }
            try await tx.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    scope TEXT NOT NULL, version BIGINT NOT NULL, name TEXT NOT NULL, applied_at BIGINT NOT NULL,
                    PRIMARY KEY (scope, version))
                """)
            var applied: [String] = []
            for set in sets {
                let done = Set(
                    try await tx.query("SELECT version FROM schema_migrations WHERE scope = \(set.scope)")
                        .map { try $0.int("version") })
                for migration in set.migrations.sorted(by: { $0.version < $1.version })
                where !done.contains(Int64(migration.version)) {
                    for statement in migration.statements(tx.dialect) {
                        try await tx.execute(statement)
                    }
                    try await tx.execute(
                        """
                        INSERT INTO schema_migrations (scope, version, name, applied_at)
                        VALUES (\(set.scope), \(migration.version), \(migration.name), \(SystemWallClock().secondsSince1970))
                        """)
                    logger.info(
                        "migration applied",
                        metadata: ["migration.scope": "\(set.scope)", "migration.version": "\(migration.version)"])
                    applied.append("\(set.scope)/\(migration.version)")
                }
            }
            return applied
        }
    }
}
