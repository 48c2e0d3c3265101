import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginAPI
import Testing

@testable import Host

/// Login through a trusted web server in front (Shibboleth, mellon): headers count only from trusted proxies.
@Suite("Proxy header login")
struct ProxyHeaderLoginTests {
    static func yaml(trusted: String) -> String {
        """
        server:
          tls: { enabled: false }
          trusted_proxies: [\(trusted)]
        login:
          proxy_headers:
            user_id: X-Remote-User
            display_name: X-Remote-Name
            permissions: X-Remote-Entitlement
        """
    }

    static let headers: HTTPFields = [
        HTTPField.Name("X-Remote-User")!: "dana@example.org", HTTPField.Name("X-Remote-Name")!: "Dana",
        HTTPField.Name("X-Remote-Entitlement")!: "staff; vpn ;",
    ]

    @Test func headersFromATrustedProxyLogIn() async throws {
        try await TestHost.withRuntime(.sqlite, yaml: Self.yaml(trusted: "127.0.0.1/32")) { runtime in
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            try await app.test(.live) { client in
                try await client.execute(uri: "/login?return_to=/oauth/authorize%3Fx%3D1", method: .get, headers: Self.headers) { response in
                    #expect(response.status == .seeOther)
                    #expect(response.headers[.location] == "/oauth/authorize?x=1")
                    #expect(response.headers[values: .setCookie].contains { $0.hasPrefix("portolan_session=") })
                }
            }
            let user = try #require(try await runtime.directory.find("dana@example.org"))
            #expect(user.authProvider == "proxy-headers" && user.displayName == "Dana")
            let stored = try await runtime.store.query("SELECT permission FROM user_provider_permissions ORDER BY permission")
            #expect(try stored.map { try $0.string("permission") } == ["staff", "vpn"])

            try await runtime.directory.setDisabled("dana@example.org", true)
            try await app.test(.live) { client in
                try await client.execute(uri: "/login", method: .get, headers: Self.headers) { response in
                    #expect(response.status == .forbidden, "a disabled account is refused")
                }
            }
        }
    }

    @Test func headersFromAnyoneElseAreIgnored() async throws {
        try await TestHost.withRuntime(.sqlite, yaml: Self.yaml(trusted: "10.0.0.0/8")) { runtime in
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            try await app.test(.live) { client in
                try await client.execute(uri: "/login", method: .get, headers: Self.headers) { response in
                    #expect(response.status == .ok, "the login form, not a session")
                    #expect(!response.headers[values: .setCookie].contains { $0.hasPrefix("portolan_session=") })
                }
            }
            #expect(try await runtime.directory.find("dana@example.org") == nil)
        }
    }

    @Test func configurationNeedsTrustedProxies() throws {
        do {
            _ = try TestHost.load("login:\n  proxy_headers:\n    user_id: X-Remote-User\n", directory: "/tmp/unused")
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.key == "login.proxy_headers" && error.problem.contains("trusted_proxies"))
        }
        do {
            _ = try TestHost.load("server:\n  trusted_proxies: [127.0.0.1/32]\nlogin:\n  proxy_headers:\n    user_id: 'Bad Header'\n", directory: "/tmp/unused")
            Issue.record("expected an error")
        } catch let error as ConfigError {
            #expect(error.key == "login.proxy_headers.user_id")
        }
    }
}
