import Foundation
import Logging
import PluginAPI
import Synchronization

@testable import Host

/// Boots a host the way `portolan serve` does, from YAML text, on SQLite in a temporary folder or on a fresh
/// PostgreSQL database.
enum TestHost {
    enum Backend: String, CaseIterable, Sendable, CustomStringConvertible {
        case sqlite, postgres
        var description: String { rawValue }
    }

    static func withRuntime<Result: Sendable>(
        _ backend: Backend, yaml: String = "", registrations: [PluginRegistration] = BuiltInPlugins.all,
        environment: [String: String] = [:], clock: any WallClock = SystemWallClock(), _ body: (HostRuntime) async throws -> Result
    ) async throws -> Result {
        try await withTemporaryDirectory { directory in
            switch backend {
            case .sqlite:
                let loaded = try load(yaml, directory: directory, environment: environment, registrations: registrations)
                return try await HostBoot.withRuntime(loaded, logger: .quiet, clock: clock, body)
            case .postgres:
                return try await TestPostgres.withFreshDatabase { url in
                    let env = environment.merging(TestPostgres.environment(url)) { $1 }
                    let loaded = try load(yaml, directory: directory, environment: env, registrations: registrations)
                    return try await HostBoot.withRuntime(loaded, logger: .quiet, clock: clock, body)
                }
            }
        }
    }

    static func load(
        _ yaml: String, directory: String, environment: [String: String] = [:],
        registrations: [PluginRegistration] = BuiltInPlugins.all
    ) throws -> LoadedConfiguration {
        try LoadedConfiguration.load(
            root: try ConfigFile.parse(yaml, name: "test.yaml"), environment: environment,
            overrides: .init(listen: "127.0.0.1:0", dataDirectory: directory), registrations: registrations)
    }

    /// A postgres:// URL with the password, for the environment of a child process or a config.
    static func urlText(_ url: DatabaseURL) -> String {
        let password = url.password.map { ":\($0)" } ?? ""
        return "postgres://\(url.username)\(password)@\(url.host):\(url.port)/\(url.database)?sslmode=\(url.sslMode.rawValue)"
    }
}

/// A wall clock that tests move by hand.
final class TestClock: WallClock {
    private let now: Mutex<Int64>

    init(_ start: Int64 = Int64(Date().timeIntervalSince1970)) { now = Mutex(start) }

    var secondsSince1970: Int64 { now.withLock { $0 } }

    func advance(by seconds: Int64) { now.withLock { $0 += seconds } }
}
