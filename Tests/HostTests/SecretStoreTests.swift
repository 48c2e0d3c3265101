import Foundation
import PluginAPI
import Testing

@testable import Host

@Suite("Secrets sealed in the store")
struct SecretStoreTests {
    static func key() throws -> MasterKey {
        try MasterKey(base64: Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(), key: "test")
    }

    static func migrated(_ store: any SQLStore) async throws {
        try await MigrationRunner(store: store, logger: .quiet).apply([.init(scope: "host", migrations: HostMigrations.all)])
    }

    @Test func createsOnceSealsAndRefusesAnotherKey() async throws {
        try await withTemporaryDirectory { directory in
            let store = try await SQLiteStore.open(path: "\(directory)/s.sqlite", logger: .quiet)
            try await Self.migrated(store)
            let key = try Self.key()
            let secrets = StoreSecretStore(scope: "p", store: store, masterKey: key, clock: SystemWallClock())
            let first = try await secrets.secret(named: "k") { [1, 2, 3] }
            let second = try await secrets.secret(named: "k") { [9, 9, 9] }
            #expect(first == [1, 2, 3])
            #expect(second == [1, 2, 3], "generate runs only when the secret is missing")
            let raw = try #require(try await store.first("SELECT sealed FROM secrets WHERE name = 'k'")).blob("sealed")
            #expect(raw.count == 3 + 12 + 16, "nonce + ciphertext + tag")
            #expect(!raw.starts(with: [1, 2, 3]))

            let otherScope = StoreSecretStore(scope: "q", store: store, masterKey: key, clock: SystemWallClock())
            #expect(try await otherScope.secret(named: "k") { [7] } == [7], "scopes are separate")

            let wrongKey = StoreSecretStore(scope: "p", store: store, masterKey: try Self.key(), clock: SystemWallClock())
            await #expect(throws: ConfigError.self) { _ = try await wrongKey.secret(named: "k") { [] } }
            await #expect(throws: PluginError.self) { _ = try await secrets.secret(named: "bad name!") { [] } }
            await store.close()
        }
    }

    @Test(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipReason))
    func racingReplicasAgreeOnOneSecret() async throws {
        try await TestPostgres.withFreshStore { store in
            try await Self.migrated(store)
            let key = try Self.key()
            let values = try await withThrowingTaskGroup(of: [UInt8].self) { group in
                for _ in 0..<16 {
                    group.addTask {
                        try await StoreSecretStore(scope: "p", store: store, masterKey: key, clock: SystemWallClock())
                            .secret(named: "shared") { (0..<32).map { _ in UInt8.random(in: 0...255) } }
                    }
                }
                return try await group.reduce(into: [[UInt8]]()) { $0.append($1) }
            }
            #expect(Set(values).count == 1)
        }
    }
}
