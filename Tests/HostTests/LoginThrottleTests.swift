import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PluginAPI
import Synchronization
import Testing

@testable import Host

@Suite("Login throttling")
struct LoginThrottleTests {
    @Test("the 6th wrong password within a minute is refused without checking the hash", arguments: TestHost.Backend.allCases)
    func sixthFailureIsRefusedUnchecked(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        let clock = TestClock()
        try await TestHost.withRuntime(backend, yaml: "plugins:\n  local-auth:\n    bcrypt_cost: 10\n", clock: clock) { runtime in
            try await runtime.directory.add("alice", authProvider: "local")
            try await runtime.passwordManager?.setPassword(SecretString("correct horse"), forUser: "alice")
            let calls = Mutex(0)
            let counted = ClosureAuthProvider(id: "counting") { credentials, context in
                calls.withLock { $0 += 1 }
                return try await runtime.registry.authProviders[0].authenticate(credentials, context: context)
            }
            let log = CapturedLog()
            let authenticator = Authenticator(
                providers: [counted], directory: runtime.directory,
                throttle: LoginThrottle(store: runtime.store, clock: clock, settings: .defaults))
            let context = AuthCallContext(logger: log.logger, remoteAddress: "192.0.2.7")
            func login(_ password: String, user: String = "alice", address: String = "192.0.2.7") async -> AuthFailure.Code? {
                do {
                    _ = try await authenticator.authenticate(
                        PasswordCredentials(username: user, password: SecretString(password)),
                        context: AuthCallContext(logger: log.logger, remoteAddress: address))
                    return nil
                } catch let failure as AuthFailure {
                    return failure.code
                } catch {
                    Issue.record("unexpected \(error)")
                    return nil
                }
            }
            for _ in 0..<5 { #expect(await login("wrong") == .invalidCredentials) }
            #expect(calls.withLock { $0 } == 5)
            #expect(await login("correct horse") == .throttled, "the right password does not help while locked")
            #expect(await login("wrong", user: "ALICE") == .throttled, "names compare case-insensitively")
            #expect(calls.withLock { $0 } == 5, "no provider asked, so no hash checked")
            #expect(log.text.contains("login throttled: too many failures for this user"))
            #expect(!log.text.contains("correct horse"), "no password in the log")
            _ = context

            clock.advance(by: 61)
            #expect(await login("correct horse") == nil, "the lock-out ends with the window")
            #expect(await login("wrong") == .invalidCredentials, "success cleared the count")

            // One address spraying many names is throttled too (20 per window).
            for index in 0..<20 { _ = await login("wrong", user: "nobody-\(index)", address: "198.51.100.9") }
            #expect(await login("correct horse", address: "198.51.100.9") == .throttled)
            #expect(await login("correct horse", address: "198.51.100.10") == nil, "other addresses are not affected")
        }
    }

    @Test func adminPermissionsMakeAdminsAndBadUTF8IsRefusedClearly() async throws {
        try await OAuthTests.withClient(.sqlite, yaml: "login:\n  admin_permissions: [vpn-admins]\n") { app in
            try await app.runtime.directory.add("root", authProvider: "local", permissions: ["vpn-admins"])
            try await app.runtime.passwordManager?.setPassword(SecretString("root-password"), forUser: "root")
            let context = AuthCallContext(logger: .quiet)
            let root = try await app.runtime.authenticator.authenticate(
                PasswordCredentials(username: "root", password: SecretString("root-password")), context: context)
            #expect(root?.isAdmin == true)
            let alice = try await app.runtime.authenticator.authenticate(
                PasswordCredentials(username: "alice", password: SecretString("correct horse")), context: context)
            #expect(alice?.isAdmin == false)

            let page = try await app.send(.get, "/login")
            let loginCookie = try #require(OAuthTestClient.cookie("portolan_login", in: page.headers))
            let csrf = try #require(OAuthTestClient.hiddenValue("csrf_token", in: page.body))
            let reply = try await app.client.execute(
                uri: "/login", method: .post,
                headers: [.contentType: "application/x-www-form-urlencoded", .cookie: "portolan_login=\(loginCookie)"],
                body: ByteBuffer(string: "csrf_token=\(csrf)&return_to=%2F&username=alice%FF&password=x")
            ) { response in (response.status, String(buffer: response.body)) }
            #expect(reply.0 == .badRequest && reply.1.contains("UTF-8"))
        }
    }
}
