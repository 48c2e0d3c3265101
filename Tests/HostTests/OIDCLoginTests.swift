import Crypto
import _CryptoExtras
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginAPI
import Testing
import TestSupport

@testable import AuthPlugin
@testable import Host

/// OpenID Connect login against a real provider (oidc-provider-mock from PyPI), and the ID token checks.
@Suite("OIDC login")
struct OIDCLoginTests {
    static let issuer = ProcessInfo.processInfo.environment["PORTOLAN_TEST_OIDC"].flatMap { $0.isEmpty ? nil : $0 }
    static let skip: Comment = "PORTOLAN_TEST_OIDC is not set (scripts/test.sh starts oidc-provider-mock)"

    static func yaml(issuer: String) -> String {
        """
        plugins:
          oidc:
            enabled: true
            issuer: \(issuer)
            client_id: portolan-test
            client_secret: { env: OIDC_SECRET }
            display_name: Example University
            permissions_claim: groups
            timeout: PT2S
        """
    }

    /// The provider's login form: the browser picks the subject; returns the redirect back to Portolan.
    static func providerApproves(_ authorizeURL: String, subject: String) throws -> String {
        let result = try Shell.run("curl", ["-sS", "-o", "/dev/null", "-w", "%{redirect_url}", "--data-urlencode", "sub=\(subject)", authorizeURL])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    @Test(.enabled(if: issuer != nil, skip)) func loginThroughTheProvider() async throws {
        let issuer = try #require(Self.issuer)
        let claims = try Shell.run("curl", ["-sS", "-X", "PUT", "-H", "Content-Type: application/json", "-d", #"{"groups":["staff","vpn"],"name":"Alice Example"}"#,
            "-w", "%{http_code}", "\(issuer)/users/alice"])
        #expect(claims.output.hasSuffix("204"))
        try await TestHost.withRuntime(.sqlite, yaml: Self.yaml(issuer: issuer), environment: ["OIDC_SECRET": "s3cret"]) { runtime in
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            try await app.test(.router) { client in
                let web = OAuthTestClient(client: client, runtime: runtime)
                let login = try await web.send(.get, "/login")
                #expect(login.body.contains("href=\"/login/with/oidc?return_to=%2F\"") && login.body.contains("Example University"))

                func begin() async throws -> (location: String, cookie: String) {
                    let start = try await web.send(.get, "/login/with/oidc?return_to=/account/two-factor")
                    #expect(start.status == .seeOther)
                    let location = try #require(start.headers[.location])
                    #expect(location.hasPrefix("\(issuer)/oauth2/authorize?") && location.contains("code_challenge_method=S256") && location.contains("nonce="))
                    return (location, try #require(OAuthTestClient.cookie("portolan_redirect", in: start.headers)))
                }
                let (location, cookie) = try await begin()
                let back = try Self.providerApproves(location, subject: "alice")
                let callback = try #require(URLComponents(string: back))
                #expect(callback.path == "/login/with/oidc/callback")
                let path = "/login/with/oidc/callback?" + (callback.query ?? "")
                // A forged state is refused (and spends the pending login).
                let forged = try await web.send(.get, path.replacingOccurrences(of: "state=", with: "state=x"), headers: [.cookie: "portolan_redirect=\(cookie)"])
                #expect(forged.status == .unauthorized)
                #expect(try await web.send(.get, path, headers: [.cookie: "portolan_redirect=\(cookie)"]).status == .badRequest, "a pending login is used once")

                let (location2, cookie2) = try await begin()
                let back2 = try #require(URLComponents(string: try Self.providerApproves(location2, subject: "alice")))
                let done = try await web.send(.get, "/login/with/oidc/callback?" + (back2.query ?? ""), headers: [.cookie: "portolan_redirect=\(cookie2)"])
                #expect(done.status == .seeOther && done.headers[.location] == "/account/two-factor")
                #expect(OAuthTestClient.cookie("portolan_session", in: done.headers) != nil)
                #expect(try await web.send(.get, "/login/with/oidc/callback?" + (back2.query ?? "")).status == .badRequest, "no cookie, no login")
            }
            let alice = try #require(try await runtime.directory.find("alice"))
            #expect(alice.authProvider == "oidc" && alice.displayName == "Alice Example")
            let permissions = try await runtime.store.query("SELECT permission FROM user_provider_permissions WHERE user_id = 'alice' ORDER BY permission")
            #expect(try permissions.map { try $0.string("permission") } == ["staff", "vpn"])
        }
    }

    @Test func anUnreachableProviderFailsFastAndClearly() async throws {
        try await TestHost.withRuntime(.sqlite, yaml: Self.yaml(issuer: "http://127.0.0.1:9"), environment: ["OIDC_SECRET": "s3cret"]) { runtime in
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            let started = ContinuousClock.now
            try await app.test(.router) { client in
                let reply = try await OAuthTestClient(client: client, runtime: runtime).send(.get, "/login/with/oidc")
                #expect(reply.status == .serviceUnavailable && reply.body.contains("unavailable"))
            }
            #expect(ContinuousClock.now - started < .seconds(5))
        }
        #expect(throws: ConfigError.self) { _ = try TestHost.load(Self.yaml(issuer: "http://idp.example.org"), directory: "/tmp/unused", environment: ["OIDC_SECRET": "x"]) }
    }

    @Test func idTokensAreCheckedCompletely() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let otherKey = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        func b64(_ data: Data) -> String {
            data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        }
        func token(_ claims: [String: Any], alg: String = "RS256", kid: String = "k1", signer: _RSA.Signing.PrivateKey? = nil) throws -> String {
            let header = b64(try JSONSerialization.data(withJSONObject: ["alg": alg, "kid": kid]))
            let payload = b64(try JSONSerialization.data(withJSONObject: claims))
            let signature = try (signer ?? key).signature(for: SHA256.hash(data: Data("\(header).\(payload)".utf8)), padding: .insecurePKCS1v1_5)
            return "\(header).\(payload).\(b64(signature.rawRepresentation))"
        }
        let verifier = JWTVerifier(keys: ["k1": .rsa(key.publicKey)], issuer: "https://idp.example.org", clientID: "portolan")
        let now: Int64 = 1_900_000_000
        let good: [String: Any] = ["iss": "https://idp.example.org", "aud": "portolan", "exp": now + 300, "nonce": "n-1", "sub": "alice"]
        #expect(try verifier.verify(try token(good), nonce: "n-1", now: now)["sub"] as? String == "alice")
        var cases: [(String, String)] = []
        func refused(_ token: String, nonce: String = "n-1", _ why: String) {
            #expect(throws: JWTVerifier.Failure.self, "\(why)") { _ = try verifier.verify(token, nonce: nonce, now: now) }
            cases.append((why, token))
        }
        refused(try token(good, signer: otherKey), "signed by another key")
        refused(try token(good), nonce: "n-2", "another login's nonce")
        refused(try token(good.merging(["aud": "someone-else"]) { $1 }), "another audience")
        refused(try token(good.merging(["iss": "https://evil.example"]) { $1 }), "another issuer")
        refused(try token(good.merging(["exp": now - 120]) { $1 }), "expired")
        refused(try token(good, kid: "k2"), "unknown key id")
        let parts = try token(good).split(separator: ".")
        refused("\(parts[0]).\(parts[1]).", "no signature")
        refused(b64(Data(#"{"alg":"none"}"#.utf8)) + ".\(parts[1]).", "alg none")
        let keys = JWTVerifier.keys(fromJWKS: ["keys": [["kty": "RSA", "kid": "x", "use": "enc", "n": "AQAB", "e": "AQAB"], ["kty": "oct", "k": "AA"]]])
        #expect(keys.isEmpty, "encryption and symmetric keys are ignored")
    }
}
