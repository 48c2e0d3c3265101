import Foundation
import PluginAPI
import Testing
import TestSupport

@testable import Host

@Suite("Store conformance: SQLite")
struct SQLiteStoreConformanceTests {
    @Test("SQLite", arguments: SQLStoreConformance.cases.map(\.name))
    func conformance(_ name: String) async throws {
        let check = try #require(SQLStoreConformance.named(name))
        try await withTemporaryDirectory { directory in
            let store = try await SQLiteStore.open(path: "\(directory)/c.sqlite", logger: .quiet)
            defer { Task { await store.close() } }
            try await check.run(store)
        }
    }
}

@Suite("Store conformance: PostgreSQL", .enabled(if: TestPostgres.isAvailable, TestPostgres.skipReason))
struct PostgresStoreConformanceTests {
    @Test("PostgreSQL", arguments: SQLStoreConformance.cases.map(\.name))
    func conformance(_ name: String) async throws {
        let check = try #require(SQLStoreConformance.named(name))
        try await TestPostgres.withFreshStore { store in try await check.run(store) }
    }
}

@Suite("Test environment")
struct TestEnvironmentTests {
    /// In CI nothing may skip: PostgreSQL must be there.
    @Test func postgresIsAvailableInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(TestPostgres.isAvailable, "CI must export PORTOLAN_TEST_DATABASE_URL")
        }
    }
}
