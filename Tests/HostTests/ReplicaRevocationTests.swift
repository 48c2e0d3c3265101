import Foundation
import PluginAPI
import Testing
import TestSupport

@testable import Host

/// Revocation reaches every process at once, although each replica answers API calls from its grant cache.
@Suite("Revocation across processes", .serialized)
struct ReplicaRevocationTests {
    /// Issues an approved code straight into the shared store (as the consent page would) and exchanges it at
    /// `base` over HTTPS.
    static func tokens(base: String, loaded: LoadedConfiguration) async throws -> (access: String, refresh: String) {
        let code = try await HostBoot.withRuntime(loaded, logger: .quiet) { runtime in
            let client = try #require(OAuthClientRegistry(configured: []).client(OAuthTestClient.clientID))
            return try await ApplicationBuilder.tokenService(runtime).issueCode(
                userID: "alice", client: client, redirectURI: OAuthTestClient.redirectURI,
                codeChallenge: OAuthTestClient.challenge(OAuthTestClient.verifier), scope: "config")
        }
        let reply = try HTTPProbe.post("\(base)/oauth/token", form: [
            ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestClient.redirectURI),
            ("client_id", OAuthTestClient.clientID), ("code_verifier", OAuthTestClient.verifier),
        ])
        let json = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
        return (try #require(json["access_token"] as? String), try #require(json["refresh_token"] as? String))
    }

    static func info(_ base: String, _ token: String) async throws -> Int {
        try await HTTPProbe.get("\(base)/api/v3/info", headers: ["Authorization: Bearer \(token)"]).status
    }

    @Test(.enabled(if: TestPostgres.isAvailable, TestPostgres.skipReason))
    func revokingOnOneReplicaEndsTheTokenOnTheOther() async throws {
        try await TestPostgres.withFreshDatabase { url in
            try await withTemporaryDirectory { directory in
                let environment = TestPostgres.environment(url)
                let (replicas, ports) = try await PortolanProcess.startReplicas(2, directory: directory, environment: environment)
                let bases = ports.map { "https://127.0.0.1:\($0)" }
                let added = try await PortolanProcess.run(["user", "add", "alice", "--password-stdin"], directory: directory,
                    environment: environment, stdin: "a-long-password\n")
                #expect(added.status == 0)
                let loaded = try LoadedConfiguration.load(
                    path: nil, environment: environment, overrides: .init(dataDirectory: directory), registrations: BuiltInPlugins.all)

                // Revocation endpoint on replica A; replica B had the grant cached.
                let first = try await Self.tokens(base: bases[0], loaded: loaded)
                #expect(try await Self.info(bases[1], first.access) == 200)
                #expect(try await Self.info(bases[0], first.access) == 200)
                #expect(try HTTPProbe.post("\(bases[0])/oauth/revoke", form: [("token", first.refresh)]).status == 200)
                #expect(try await Self.info(bases[1], first.access) == 401, "replica B must drop the revoked grant at once")
                #expect(try await Self.info(bases[0], first.access) == 401)

                // Control: B really answers from its cache. A row deleted behind Portolan's back (no notification)
                // is not noticed ...
                let second = try await Self.tokens(base: bases[0], loaded: loaded)
                #expect(try await Self.info(bases[1], second.access) == 200)
                try await PostgresStore.withPostgresStore(url: url, poolSize: 1, logger: .quiet) { store in
                    try await store.execute("DELETE FROM oauth_authorizations WHERE user_id = 'alice'")
                }
                #expect(try await Self.info(bases[1], second.access) == 200, "the cache is in use (control)")

                // ... while a user disabled by the CLI (another process) loses every token on every replica.
                let third = try await Self.tokens(base: bases[1], loaded: loaded)
                #expect(try await Self.info(bases[0], third.access) == 200)
                #expect(try await PortolanProcess.run(["user", "disable", "alice"], directory: directory, environment: environment).status == 0)
                #expect(try await Self.info(bases[0], third.access) == 401)
                #expect(try await Self.info(bases[1], third.access) == 401)
                #expect(try await Self.info(bases[1], second.access) == 401, "a user notice also drops grants deleted behind our back")

                for replica in replicas { replica.signal(SIGTERM) }
                for replica in replicas { #expect(try await replica.waitForExit(timeout: .seconds(10)).status == 0) }
            }
        }
    }

    @Test func disablingAUserWithTheCLIEndsTokensOfARunningSQLiteServer() async throws {
        try await withTemporaryDirectory { directory in
            let server = try PortolanProcess(["serve", "--listen", "127.0.0.1:0"], directory: directory)
            let base = "https://127.0.0.1:\(try await server.waitForPort())"
            #expect(try await PortolanProcess.run(["user", "add", "alice", "--password-stdin"], directory: directory, stdin: "a-long-password\n").status == 0)
            let loaded = try LoadedConfiguration.load(
                path: nil, environment: [:], overrides: .init(dataDirectory: "\(directory)/portolan-data"), registrations: BuiltInPlugins.all)
            let tokens = try await Self.tokens(base: base, loaded: loaded)
            #expect(try await Self.info(base, tokens.access) == 200)
            #expect(try await Self.info(base, tokens.access) == 200)
            #expect(try await PortolanProcess.run(["user", "disable", "alice"], directory: directory).status == 0)
            // The server notices another process's write within its data_version poll (250 ms).
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await Self.info(base, tokens.access) == 401)
            server.signal(SIGTERM)
            #expect(try await server.waitForExit(timeout: .seconds(10)).status == 0)
        }
    }
}
