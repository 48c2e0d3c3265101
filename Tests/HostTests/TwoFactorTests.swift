import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginAPI
import Testing

@testable import Host

/// TOTP for local users through the portal: enrolment, login with a code the test computes, replay refused,
/// recovery codes single-use.
@Suite("Two-factor login")
struct TwoFactorTests {
    /// An independent RFC 6238 implementation for the test (not the plugin's).
    static func code(base32 secret: String, time: Int64) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var bits = 0, buffer = 0
        var key: [UInt8] = []
        for character in secret {
            buffer = buffer << 5 | alphabet.firstIndex(of: character)!
            bits += 5
            if bits >= 8 { key.append(UInt8((buffer >> (bits - 8)) & 0xFF)); bits -= 8 }
        }
        let counter = withUnsafeBytes(of: UInt64(time / 30).bigEndian) { Array($0) }
        let mac = Array(HMAC<Insecure.SHA1>.authenticationCode(for: counter, using: SymmetricKey(data: key)))
        let offset = Int(mac[19] & 0x0F)
        let value = (Int(mac[offset] & 0x7F) << 24 | Int(mac[offset + 1]) << 16 | Int(mac[offset + 2]) << 8 | Int(mac[offset + 3])) % 1_000_000
        return String(format: "%06d", value)
    }

    @Test(arguments: TestHost.Backend.allCases)
    func enrolLoginReplayAndRecovery(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        let clock = TestClock()
        try await OAuthTests.withClient(backend, clock: clock) { app in
            func login(_ code: String?) async throws -> OAuthTestClient.Reply {
                let page = try await app.send(.get, "/login")
                let loginCookie = try #require(OAuthTestClient.cookie("portolan_login", in: page.headers))
                let csrf = try #require(OAuthTestClient.hiddenValue("csrf_token", in: page.body))
                return try await app.send(.post, "/login", form: [
                    ("csrf_token", csrf), ("return_to", "/"), ("username", "alice"), ("password", "correct horse"), ("code", code ?? ""),
                ], headers: [.cookie: "portolan_login=\(loginCookie)"])
            }
            let first = try await login(nil)
            #expect(first.status == .seeOther, "no second factor yet: the password is enough")
            let session = try #require(OAuthTestClient.cookie("portolan_session", in: first.headers))
            let cookie: HTTPFields = [.cookie: "portolan_session=\(session)"]
            let status = try await app.send(.get, "/account/two-factor", headers: cookie)
            #expect(status.status == .ok && status.body.contains("Two-factor login is off"))
            let csrf = try #require(OAuthTestClient.hiddenValue("csrf_token", in: status.body))
            let started = try await app.send(.post, "/account/two-factor/start", form: [("csrf_token", csrf)], headers: cookie)
            #expect(started.body.contains("otpauth://totp/Portolan%3Aalice?secret="))
            #expect(started.body.contains("<svg") && started.body.contains("aria-label=\"QR code\""), "the enrolment page shows a QR code")
            let secret = try #require(started.body.range(of: "<code id=\"secret\">").map { started.body[$0.upperBound...].prefix { $0 != "<" } })
            let wrong = try await app.send(.post, "/account/two-factor/confirm", form: [("csrf_token", csrf), ("code", "000000")], headers: cookie)
            #expect(wrong.status == .badRequest || Self.code(base32: String(secret), time: clock.secondsSince1970) == "000000")
            let restarted = try await app.send(.post, "/account/two-factor/start", form: [("csrf_token", csrf)], headers: cookie)
            let secret2 = try #require(restarted.body.range(of: "<code id=\"secret\">").map { String(restarted.body[$0.upperBound...].prefix { $0 != "<" }) })
            let confirmed = try await app.send(.post, "/account/two-factor/confirm", form: [
                ("csrf_token", csrf), ("code", Self.code(base32: secret2, time: clock.secondsSince1970)),
            ], headers: cookie)
            #expect(confirmed.status == .ok && confirmed.body.contains("recovery-codes"))
            let recovery = confirmed.body.components(separatedBy: "<li><code>").dropFirst().map { String($0.prefix { $0 != "<" }) }
            #expect(recovery.count == 10)

            clock.advance(by: 30)
            let passwordOnly = try await login(nil)
            #expect(passwordOnly.status == .unauthorized && passwordOnly.body.contains("two-factor"))
            let code = Self.code(base32: secret2, time: clock.secondsSince1970)
            #expect(try await login(code).status == .seeOther, "password + current code")
            #expect(try await login(code).status == .unauthorized, "the same code twice is refused")
            #expect(try await login(recovery[0]).status == .seeOther, "a recovery code instead of a code")
            #expect(try await login(recovery[0]).status == .unauthorized, "recovery codes work once")
            clock.advance(by: 30)
            #expect(try await login(Self.code(base32: secret2, time: clock.secondsSince1970)).status == .seeOther, "the next step's code works")
            let sealed = try await app.runtime.store.query("SELECT sealed_secret FROM local_auth_totp WHERE user_id = 'alice'")
            #expect(sealed.count == 1)
            #expect(try sealed[0].blob("sealed_secret") != Array(secret2.utf8), "the secret is stored sealed")
        }
    }
}

@Suite("Password change")
struct PasswordChangeTests {
    @Test func aLocalUserChangesTheirPassword() async throws {
        try await OAuthTests.withClient(.sqlite) { app in
            func login(_ password: String) async throws -> OAuthTestClient.Reply {
                let page = try await app.send(.get, "/login")
                let loginCookie = try #require(OAuthTestClient.cookie("portolan_login", in: page.headers))
                let csrf = try #require(OAuthTestClient.hiddenValue("csrf_token", in: page.body))
                return try await app.send(.post, "/login", form: [("csrf_token", csrf), ("return_to", "/"), ("username", "alice"), ("password", password)],
                    headers: [.cookie: "portolan_login=\(loginCookie)"])
            }
            let session = try #require(OAuthTestClient.cookie("portolan_session", in: try await login("correct horse").headers))
            let cookie: HTTPFields = [.cookie: "portolan_session=\(session)"]
            let form = try await app.send(.get, "/account/password", headers: cookie)
            let csrf = try #require(OAuthTestClient.hiddenValue("csrf_token", in: form.body))
            func change(_ current: String, _ new: String, _ again: String) async throws -> HTTPResponse.Status {
                try await app.send(.post, "/account/password", form: [
                    ("csrf_token", csrf), ("current_password", current), ("new_password", new), ("repeat_password", again),
                ], headers: cookie).status
            }
            #expect(try await change("wrong", "battery staple", "battery staple") == .unauthorized)
            #expect(try await change("correct horse", "short", "short") == .badRequest)
            #expect(try await change("correct horse", "battery staple", "battery stapl") == .badRequest)
            #expect(try await change("correct horse", "battery staple", "battery staple") == .ok)
            #expect(try await login("correct horse").status == .unauthorized)
            #expect(try await login("battery staple").status == .seeOther)
        }
    }
}
