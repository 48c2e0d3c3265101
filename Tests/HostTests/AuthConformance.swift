import Foundation
import PluginAPI
import Testing

@testable import Host

/// The one conformance suite every authentication backend passes, through the host's ``Authenticator`` as the login
/// page uses it: success with permissions mapped, wrong password, unknown user, hostile and over-long input, and (for
/// backends with a server) an unreachable server failing fast with a clear message.
struct AuthConformance {
    /// A user the backend knows, and what logging in must give.
    var user: String
    var password: String
    var expectedPermissions: Set<String>
    /// The provider id the identity must carry.
    var providerID: String

    /// Runs every case against `runtime` (booted with the backend configured).
    func check(_ runtime: HostRuntime) async throws {
        let authenticator = runtime.authenticator
        let context = AuthCallContext(logger: .quiet, remoteAddress: "192.0.2.50")
        func login(_ name: String, _ password: String) async throws -> Authenticator.Result? {
            try await authenticator.authenticate(PasswordCredentials(username: name, password: SecretString(password)), context: context)
        }
        // Success, permissions mapped.
        let result = try #require(try await login(user, password), "\(providerID): the right password logs in")
        #expect(result.identity.userID == user && result.identity.authProvider == providerID)
        #expect(result.identity.permissions.isSuperset(of: expectedPermissions), "\(providerID): permissions \(result.identity.permissions)")
        #expect(try await runtime.directory.find(user) != nil, "\(providerID): the user is recorded")

        // The permissions reach the API's profile ACLs: an app authorized now sees them in its grant.
        let service = ApplicationBuilder.tokenService(runtime)
        let client = try #require(OAuthClientRegistry(configured: []).client(OAuthTestClient.clientID))
        let code = try await service.issueCode(
            userID: user, client: client, redirectURI: OAuthTestClient.redirectURI,
            codeChallenge: OAuthTestClient.challenge(OAuthTestClient.verifier), scope: "config")
        let tokens = try await service.exchange(
            code: code, clientID: OAuthTestClient.clientID, redirectURI: OAuthTestClient.redirectURI, verifier: OAuthTestClient.verifier)
        let grant = try #require(try await service.grant(forAccessToken: tokens.access_token))
        #expect(grant.permissions.isSuperset(of: expectedPermissions), "\(providerID): the API sees \(grant.permissions)")

        // Wrong password: refused.
        await #expect(throws: AuthFailure.self, "\(providerID): wrong password") { _ = try await login(self.user, self.password + "x") }

        // Unknown user: refused (nil when no provider claims the name, or a failure).
        try await expectRefused { try await login("nobody-\(UUID().uuidString.prefix(8))", "whatever-password") }

        // Hostile input: LDAP/SQL metacharacters, over-long names and passwords never log in and never crash.
        for (name, secret) in [("*)(uid=*))(|(uid=*", password), ("\(user)*", password), (String(repeating: "a", count: 5000), password),
                               (user, String(repeating: "p", count: 5000)), ("\(user)\u{0}admin", password), ("", "")] {
            try await expectRefused { try await login(name, secret) }
        }
    }

    private func expectRefused(_ body: () async throws -> Authenticator.Result?) async throws {
        do {
            let result = try await body()
            #expect(result == nil, "\(providerID): refused, not logged in as \(String(describing: result?.identity.userID))")
        } catch is AuthFailure {
        } catch let error as PluginError where error.code == .invalidRequest {
            #expect(!error.message.isEmpty)
        }
    }

    /// Checks that a login against an unreachable server fails within `limit` with a message naming the server.
    static func checkUnreachable(_ runtime: HostRuntime, naming server: String, limit: Duration = .seconds(5)) async throws {
        let start = ContinuousClock.now
        do {
            _ = try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "alice", password: SecretString("alice-password")), context: AuthCallContext(logger: .quiet))
            Issue.record("an unreachable server must not log anyone in")
        } catch let error as PluginError {
            #expect(error.code == .unavailable, "\(error)")
            #expect(error.message.contains(server), "\(error.message)")
        }
        let elapsed = ContinuousClock.now - start
        #expect(elapsed < limit, "took \(elapsed)")
    }
}
