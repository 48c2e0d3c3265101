import Foundation
import Logging
import PluginAPI
import Testing

@testable import Host

/// The PostgreSQL the tests use: `PORTOLAN_TEST_DATABASE_URL` (scripts/test.sh and .ci/run start one).
/// Each test gets a database of its own, dropped afterwards.
enum TestPostgres {
    static let adminURLText = ProcessInfo.processInfo.environment["PORTOLAN_TEST_DATABASE_URL"].flatMap { $0.isEmpty ? nil : $0 }
    static var isAvailable: Bool { adminURLText != nil }
    static let skipReason: Comment = "PORTOLAN_TEST_DATABASE_URL is not set (scripts/test.sh starts a PostgreSQL)"

    static func adminURL() throws -> DatabaseURL {
        try DatabaseURL(parsing: try #require(adminURLText, "PORTOLAN_TEST_DATABASE_URL is not set"))
    }

    /// Creates a fresh database, runs `body` with its URL, drops it.
    /// What a `portolan` process needs to run on the database at `url`: its URL and a fresh master key.
    static func environment(_ url: DatabaseURL) -> [String: String] {
        [
            "PORTOLAN_DATABASE_URL": TestHost.urlText(url),
            "PORTOLAN_MASTER_KEY": Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString(),
        ]
    }

    static func withFreshDatabase<Result: Sendable>(_ body: (DatabaseURL) async throws -> Result) async throws -> Result {
        let admin = try adminURL()
        var url = admin
        url.database = "portolan_t_\(UInt64.random(in: 0...UInt64.max) % 1_000_000_000_000)"
        let name = url.database
        try await PostgresStore.withPostgresStore(url: admin, poolSize: 1, logger: .quiet) { store in
            try await store.execute(SQLQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        do {
            let result = try await body(url)
            try await drop(name, admin: admin)
            return result
        } catch {
            try? await drop(name, admin: admin)
            throw error
        }
    }

    /// Runs `body` with a fresh database's store.
    static func withFreshStore<Result: Sendable>(poolSize: Int = 8, _ body: (PostgresStore) async throws -> Result) async throws -> Result {
        try await withFreshDatabase { url in
            try await PostgresStore.withPostgresStore(url: url, poolSize: poolSize, logger: .quiet) { try await body($0) }
        }
    }

    private static func drop(_ name: String, admin: DatabaseURL) async throws {
        try await PostgresStore.withPostgresStore(url: admin, poolSize: 1, logger: .quiet) { store in
            try await store.execute(SQLQuery(unsafeSQL: "DROP DATABASE IF EXISTS \(name) WITH (FORCE)"))
        }
    }
}

extension Logger {
    /// A logger that drops everything.
    static let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
}
