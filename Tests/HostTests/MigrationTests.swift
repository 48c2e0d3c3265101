import Foundation
import PluginAPI
import Testing

@testable import Host

@Suite("Migrations")
struct MigrationTests {
    /// A migration that also counts how often it ran, so that "applied once" is checked, not assumed.
    static let counted = [
        Migration(version: 1, name: "create") { _ in
            ["CREATE TABLE mt_runs (n BIGINT NOT NULL)", "INSERT INTO mt_runs (n) VALUES (1)"]
        },
        Migration(version: 2, name: "second") { _ in ["INSERT INTO mt_runs (n) VALUES (2)"] },
    ]

    @Test func appliesOnceAndIsIdempotentOnSQLite() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLiteStore.open(path: "\(directory)/m.sqlite", logger: .quiet)
            let runner = MigrationRunner(store: store, logger: .quiet)
            let first = try await runner.apply([.init(scope: "mt", migrations: Self.counted)])
            let second = try await runner.apply([.init(scope: "mt", migrations: Self.counted)])
            #expect(first == ["mt/1", "mt/2"])
            #expect(second.isEmpty)
            #expect(try await store.query("SELECT n FROM mt_runs").count == 2)
            await store.close()
        }
    }

    @Test func rejectsDuplicateVersions() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLiteStore.open(path: "\(directory)/m.sqlite", logger: .quiet)
            let duplicate = [Self.counted[0], Migration(version: 1, name: "again") { _ in [] }]
            await #expect(throws: PluginError.self) {
                try await MigrationRunner(store: store, logger: .quiet).apply([.init(scope: "mt", migrations: duplicate)])
            }
            await store.close()
        }
    }

    @Test func failedMigrationLeavesNothingBehind() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLiteStore.open(path: "\(directory)/m.sqlite", logger: .quiet)
            let broken = [Self.counted[0], Migration(version: 2, name: "broken") { _ in ["THIS IS NOT SQL"] }]
            await #expect(throws: StoreError.self) {
                try await MigrationRunner(store: store, logger: .quiet).apply([.init(scope: "mt", migrations: broken)])
            }
            let applied = try await MigrationRunner(store: store, logger: .quiet).apply([.init(scope: "mt", migrations: Self.counted)])
            #expect(applied == ["mt/1", "mt/2"], "the whole failed run was rolled back")
            await store.close()
        }
    }

    /// Eight runners on eight separate pools race on one database: the advisory lock lets each migration run once.
    @Test(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipReason))
    func concurrentRunnersApplyOnceOnPostgres() async throws {
        try await TestPostgres.withFreshDatabase { url in
            let results = try await withThrowingTaskGroup(of: [String].self) { group in
                for _ in 0..<8 {
                    group.addTask {
                        try await PostgresStore.withPostgresStore(url: url, poolSize: 2, logger: .quiet) { store in
                            try await MigrationRunner(store: store, logger: .quiet).apply(
                                [.init(scope: HostMigrations.scope, migrations: HostMigrations.all),
                                 .init(scope: "mt", migrations: Self.counted)])
                        }
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(results.count == 8)
            #expect(results.flatMap { $0 }.sorted() == (HostMigrations.all.map { "host/\($0.version)" } + ["mt/1", "mt/2"]).sorted())
            let (runs, recorded) = try await PostgresStore.withPostgresStore(url: url, poolSize: 1, logger: .quiet) { store in
                (try await store.query("SELECT n FROM mt_runs").count,
                 try await store.query("SELECT version FROM schema_migrations").count)
            }
            #expect(runs == 2)
            #expect(recorded == HostMigrations.all.count + 2)
        }
    }
}
