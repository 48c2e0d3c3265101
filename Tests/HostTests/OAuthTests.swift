import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginAPI
import Testing

@testable import Host

/// The OAuth 2.1 server through its HTTP routes, on both stores.
@Suite("OAuth")
struct OAuthTests {
    static func withClient(
        _ backend: TestHost.Backend, yaml: String = "", clock: any WallClock = SystemWallClock(),
        _ body: @escaping @Sendable (OAuthTestClient) async throws -> Void
    ) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(backend, yaml: yaml, clock: clock) { runtime in
            try await runtime.directory.add("alice", authProvider: "local")
            try await runtime.passwordManager?.setPassword(SecretString("correct horse"), forUser: "alice")
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            try await app.test(.router) { client in try await body(OAuthTestClient(client: client, runtime: runtime)) }
        }
    }

    static let authorizeQuery = "client_id=org.eduvpn.app.linux&redirect_uri=http%3A%2F%2F127.0.0.1%3A4711%2Fcallback"
        + "&response_type=code&scope=config&state=st-1&code_challenge_method=S256&code_challenge="
        + OAuthTestClient.challenge(OAuthTestClient.verifier)

    @Test("login, consent, form_post code, token, API", arguments: TestHost.Backend.allCases)
    func browserFlow(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend) { app in
            let first = try await app.send(.get, "/oauth/authorize?\(Self.authorizeQuery)&response_mode=form_post")
            #expect(first.status == .seeOther)
            let loginURI = try #require(first.headers[.location])
            #expect(loginURI.hasPrefix("/login?return_to=%2Foauth%2Fauthorize%3F"))
            let loginPage = try await app.send(.get, loginURI)
            let loginCookie = try #require(OAuthTestClient.cookie("portolan_login", in: loginPage.headers))
            let csrf = try #require(OAuthTestClient.hiddenValue("csrf_token", in: loginPage.body))
            let returnTo = try #require(OAuthTestClient.hiddenValue("return_to", in: loginPage.body))

            var cookieHeader: HTTPFields = [.cookie: "portolan_login=\(loginCookie)"]
            let wrong = try await app.send(.post, "/login", form: [("csrf_token", csrf), ("return_to", returnTo), ("username", "alice"), ("password", "nope")], headers: cookieHeader)
            #expect(wrong.status == .unauthorized && wrong.body.contains("wrong"))
            let forged = try await app.send(.post, "/login", form: [("csrf_token", "forged"), ("return_to", returnTo), ("username", "alice"), ("password", "correct horse")], headers: cookieHeader)
            #expect(forged.status == .forbidden)
            let login = try await app.send(.post, "/login", form: [("csrf_token", csrf), ("return_to", returnTo), ("username", "alice"), ("password", "correct horse")], headers: cookieHeader)
            #expect(login.status == .seeOther)
            #expect(login.headers[.location] == "/oauth/authorize?\(Self.authorizeQuery)&response_mode=form_post")
            let sessionSetCookie = try #require(login.headers[values: .setCookie].first { $0.hasPrefix("portolan_session=") })
            #expect(sessionSetCookie.contains("HttpOnly") && sessionSetCookie.contains("SameSite=Lax"))
            let session = try #require(OAuthTestClient.cookie("portolan_session", in: login.headers))
            cookieHeader = [.cookie: "portolan_session=\(session)"]

            let consent = try await app.send(.get, try #require(login.headers[.location]), headers: cookieHeader)
            #expect(consent.status == .ok && consent.body.contains("eduVPN for Linux") && consent.body.contains("value=\"approve\""))
            #expect(consent.headers[.contentSecurityPolicy] == "frame-ancestors 'none'")
            let sessionCSRF = try #require(OAuthTestClient.hiddenValue("csrf_token", in: consent.body))
            var crossSite = cookieHeader
            crossSite[.origin] = "https://evil.example"
            let refused = try await app.send(.post, "/oauth/authorize?\(Self.authorizeQuery)&response_mode=form_post",
                form: [("csrf_token", sessionCSRF), ("decision", "approve")], headers: crossSite)
            #expect(refused.status == .forbidden)
            let approved = try await app.send(.post, "/oauth/authorize?\(Self.authorizeQuery)&response_mode=form_post",
                form: [("csrf_token", sessionCSRF), ("decision", "approve")], headers: cookieHeader)
            #expect(approved.status == .ok)
            #expect(approved.body.contains("action=\"http://127.0.0.1:4711/callback\""))
            #expect(OAuthTestClient.hiddenValue("state", in: approved.body) == "st-1")
            #expect(OAuthTestClient.hiddenValue("iss", in: approved.body) == "https://localhost/")
            let code = try #require(OAuthTestClient.hiddenValue("code", in: approved.body))

            let token = try await app.send(.post, "/oauth/token", form: [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestClient.redirectURI),
                ("client_id", OAuthTestClient.clientID), ("code_verifier", OAuthTestClient.verifier),
            ])
            #expect(token.status == .ok)
            #expect(token.headers[.cacheControl] == "no-store")
            #expect(token.json["expires_in"] as? Int == 3600 && token.json["token_type"] as? String == "bearer")
            let access = try #require(token.json["access_token"] as? String)

            let info = try await app.send(.get, "/api/v3/info", headers: app.bearer(access))
            #expect(info.status == .ok)
            let list = try #require((info.json["info"] as? [String: Any])?["profile_list"] as? [[String: Any]])
            #expect(list.count == 1 && list[0]["profile_id"] as? String == "default" && list[0]["display_name"] as? String == "Default")
            #expect(list[0]["vpn_proto_list"] as? [String] == ["openvpn"] && list[0]["default_gateway"] as? Bool == true)

            // The desktop library: three Accept lines and always a WireGuard key.
            var headers = app.bearer(access)
            headers.append(HTTPField(name: .accept, value: "application/x-openvpn-profile"))
            headers.append(HTTPField(name: .accept, value: "application/x-wireguard-profile"))
            headers.append(HTTPField(name: .accept, value: "application/x-wireguard+tcp-profile"))
            let connect = try await app.send(.post, "/api/v3/connect", form: [
                ("profile_id", "default"), ("public_key", "x7kJrKJ7fWTh3yPCVPIu/VXeaJVcE+g+5Yg0dVNXBVg="), ("prefer_tcp", "no"),
            ], headers: headers)
            #expect(connect.status == .ok, "\(connect.body)")
            #expect(connect.headers[.contentType] == "application/x-openvpn-profile")
            let expires = try #require(connect.headers[.expires])
            #expect(expires.hasSuffix(" GMT") && expires.count == 29)
            #expect(connect.body.contains("<cert>") && connect.body.contains("remote localhost 1194 udp"))

            let disconnect = try await app.send(.post, "/api/v3/disconnect", headers: app.bearer(access))
            #expect(disconnect.status == .noContent)
            let left = try await app.runtime.store.query("SELECT credential_id FROM vpn_configurations")
            #expect(left.isEmpty)
        }
    }

    @Test("token endpoint errors", arguments: TestHost.Backend.allCases)
    func tokenErrors(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend) { app in
            func exchange(_ code: String, redirect: String = OAuthTestClient.redirectURI, client: String = OAuthTestClient.clientID,
                verifier: String = OAuthTestClient.verifier) async throws -> OAuthTestClient.Reply {
                try await app.send(.post, "/oauth/token", form: [
                    ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", redirect), ("client_id", client),
                    ("code_verifier", verifier),
                ])
            }
            // Reused code: the second exchange fails and the first exchange's tokens die with the authorization.
            let code = try await app.code()
            let first = try await exchange(code)
            let access = try #require(first.json["access_token"] as? String)
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(access)).status == .ok)
            let reused = try await exchange(code)
            #expect(reused.status == .badRequest && reused.error == "invalid_grant")
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(access)).status == .unauthorized)

            let wrongVerifier = try await exchange(try await app.code(), verifier: String(repeating: "a", count: 43))
            #expect(wrongVerifier.status == .badRequest && wrongVerifier.error == "invalid_grant")
            let wrongRedirect = try await exchange(try await app.code(), redirect: "http://127.0.0.1:4712/callback")
            #expect(wrongRedirect.status == .badRequest && wrongRedirect.error == "invalid_grant")
            let otherClient = try await exchange(try await app.code(), client: "org.letsconnect-vpn.app.linux")
            #expect(otherClient.status == .badRequest && otherClient.error == "invalid_grant")
            let unknownClient = try await exchange(try await app.code(), client: "com.example.unknown")
            #expect(unknownClient.status == .unauthorized && unknownClient.error == "invalid_client")
            let garbage = try await exchange("ptc.AAAA.BBBB")
            #expect(garbage.status == .badRequest && garbage.error == "invalid_grant")
            var tamperedCode = Array(try await app.code())
            tamperedCode[8] = tamperedCode[8] == "A" ? "B" : "A"  // inside the payload
            let tampered = try await exchange(String(tamperedCode))
            #expect(tampered.status == .badRequest && tampered.error == "invalid_grant")

            let missing = try await app.send(.post, "/oauth/token", form: [("grant_type", "authorization_code"), ("client_id", OAuthTestClient.clientID)])
            #expect(missing.status == .badRequest && missing.error == "invalid_request")
            #expect((missing.json["error_description"] as? String)?.contains("\"code\"") == true)
            let repeated = try await app.send(.post, "/oauth/token", form: [("grant_type", "refresh_token"), ("grant_type", "refresh_token")])
            #expect(repeated.status == .badRequest && repeated.error == "invalid_request")
            let unsupported = try await app.send(.post, "/oauth/token", form: [("grant_type", "password")])
            #expect(unsupported.status == .badRequest && unsupported.error == "unsupported_grant_type")
            let json = try await app.send(.post, "/oauth/token", headers: [.contentType: "application/json"])
            #expect(json.status == .badRequest && json.error == "invalid_request")
        }
    }

    @Test("refresh tokens rotate; reusing one revokes the authorization", arguments: TestHost.Backend.allCases)
    func refreshRotation(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend) { app in
            let (_, refresh) = try await app.tokens()
            func refreshWith(_ token: String, client: String = OAuthTestClient.clientID) async throws -> OAuthTestClient.Reply {
                try await app.send(.post, "/oauth/token", form: [("grant_type", "refresh_token"), ("refresh_token", token), ("client_id", client)])
            }
            let rotated = try await refreshWith(refresh)
            #expect(rotated.status == .ok && rotated.json["expires_in"] as? Int == 3600)
            let newRefresh = try #require(rotated.json["refresh_token"] as? String)
            let newAccess = try #require(rotated.json["access_token"] as? String)
            #expect(newRefresh != refresh)
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(newAccess)).status == .ok)
            let otherClient = try await refreshWith(newRefresh, client: "org.govvpn.app.linux")
            #expect(otherClient.status == .badRequest && otherClient.error == "invalid_grant")

            let reused = try await refreshWith(refresh)
            #expect(reused.status == .badRequest && reused.error == "invalid_grant")
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(newAccess)).status == .unauthorized)
            let afterRevoke = try await refreshWith(newRefresh)
            #expect(afterRevoke.status == .badRequest && afterRevoke.error == "invalid_grant")
            let badScope = try await app.send(.post, "/oauth/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", newRefresh), ("client_id", OAuthTestClient.clientID), ("scope", "admin"),
            ])
            #expect(badScope.status == .badRequest && badScope.error == "invalid_scope")
        }
    }

    @Test("authorization request errors", arguments: TestHost.Backend.allCases)
    func authorizeErrors(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend) { app in
            let unknown = try await app.send(.get, "/oauth/authorize?" + Self.authorizeQuery.replacingOccurrences(of: "org.eduvpn.app.linux", with: "evil"))
            #expect(unknown.status == .badRequest && unknown.body.contains("unknown client_id"))
            let badRedirect = try await app.send(.get, "/oauth/authorize?" + Self.authorizeQuery.replacingOccurrences(of: "127.0.0.1", with: "evil.example"))
            #expect(badRedirect.status == .badRequest && badRedirect.body.contains("redirect_uri is not registered"))
            #expect(badRedirect.headers[.location] == nil)
            let cases: [(String, String, String)] = [
                ("code_challenge_method=S256", "code_challenge_method=plain", "invalid_request"),
                ("scope=config", "scope=admin", "invalid_scope"),
                ("response_type=code", "response_type=token", "unsupported_response_type"),
                ("&state=st-1", "", "invalid_request"),
                ("code_challenge=", "code_challenge=short&x=", "invalid_request"),
            ]
            for (from, to, error) in cases {
                let reply = try await app.send(.get, "/oauth/authorize?" + Self.authorizeQuery.replacingOccurrences(of: from, with: to))
                #expect(reply.status == .found, "\(to)")
                let location = try #require(reply.headers[.location])
                #expect(location.hasPrefix("http://127.0.0.1:4711/callback?error=\(error)&"), "\(to): \(location)")
                #expect(location.contains("state=st-1") == (from != "&state=st-1"), "state is echoed whenever it was sent: \(location)")
            }
        }
    }

    @Test("API errors: status codes and JSON messages", arguments: TestHost.Backend.allCases)
    func apiErrors(backend: TestHost.Backend) async throws {
        let yaml = """
            plugins:
              profiles:
                profiles:
                  - id: staff
                    display_name: Staff
                    required_permissions: [staff]
                    openvpn: { ipv4_range: 10.10.0.0/24, ipv6_range: "fd10::/64" }
                  - id: open
                    display_name: Open
                    openvpn: { ipv4_range: 10.11.0.0/24, ipv6_range: "fd11::/64", udp_ports: [1195], tcp_ports: [1195] }
            """
        try await Self.withClient(backend, yaml: yaml) { app in
            let none = try await app.send(.get, "/api/v3/info")
            #expect(none.status == .unauthorized && none.headers[.wwwAuthenticate]?.hasPrefix("Bearer") == true)
            #expect(none.error == "invalid_token")
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer("pta.garbage.x")).status == .unauthorized)
            let (access, refresh) = try await app.tokens()
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(refresh)).status == .unauthorized)

            let info = try await app.send(.get, "/api/v3/info", headers: app.bearer(access))
            let ids = ((info.json["info"] as? [String: Any])?["profile_list"] as? [[String: Any]])?.compactMap { $0["profile_id"] as? String }
            #expect(ids == ["open"])

            func connect(_ form: [(String, String)], accept: String? = nil) async throws -> OAuthTestClient.Reply {
                var headers = app.bearer(access)
                if let accept { headers[.accept] = accept }
                return try await app.send(.post, "/api/v3/connect", form: form, headers: headers)
            }
            let missing = try await connect([])
            #expect(missing.status == .badRequest && missing.error == "missing post parameter \"profile_id\"")
            let badID = try await connect([("profile_id", "a b")])
            #expect(badID.status == .badRequest && badID.error == "invalid value for \"profile_id\"")
            let unknown = try await connect([("profile_id", "nope")])
            #expect(unknown.status == .notFound && unknown.error == "no such \"profile_id\"")
            let denied = try await connect([("profile_id", "staff")])
            #expect(denied.status == .notFound && denied.error == "no such \"profile_id\"")
            let badKey = try await connect([("profile_id", "open"), ("public_key", "short")])
            #expect(badKey.status == .badRequest && badKey.error == "invalid value for \"public_key\"")
            let badTCP = try await connect([("profile_id", "open"), ("prefer_tcp", "maybe")])
            #expect(badTCP.status == .badRequest && badTCP.error == "invalid value for \"prefer_tcp\"")
            let wireGuardOnly = try await connect([("profile_id", "open")], accept: "application/x-wireguard-profile")
            #expect(wireGuardOnly.status == .notAcceptable && wireGuardOnly.error == "no common VPN protocol support between client and server profile")
            let tcp = try await connect([("profile_id", "open"), ("prefer_tcp", "yes")], accept: "application/x-openvpn-profile; q=1")
            #expect(tcp.status == .ok && tcp.body.contains("remote localhost 1195 tcp\nremote localhost 1195 udp"))
            let wrongMethod = try await app.send(.get, "/api/v3/connect", headers: app.bearer(access))
            #expect(wrongMethod.status == .methodNotAllowed && wrongMethod.headers[.allow] == "POST")
        }
    }

    @Test("at most max_active_configurations per user; /connect replaces the authorization's earlier one", arguments: TestHost.Backend.allCases)
    func activeConfigurationLimit(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend, yaml: "api: { max_active_configurations: 2 }") { app in
            var credentials: [[String]] = []
            for _ in 0..<3 {
                let (access, _) = try await app.tokens()
                for _ in 0..<2 {
                    let reply = try await app.send(.post, "/api/v3/connect", form: [("profile_id", "default")], headers: app.bearer(access))
                    #expect(reply.status == .ok)
                }
                credentials.append(try await app.runtime.store.query("SELECT credential_id FROM vpn_configurations ORDER BY created_at, credential_id")
                    .map { try $0.string("credential_id") })
            }
            #expect(credentials.map(\.count) == [1, 2, 2])
            let rows = try await app.runtime.store.query("SELECT DISTINCT auth_key FROM vpn_configurations")
            #expect(rows.count == 2)
        }
        try await Self.withClient(backend, yaml: "api: { max_active_configurations: 0 }") { app in
            let (access, _) = try await app.tokens()
            let reply = try await app.send(.post, "/api/v3/connect", form: [("profile_id", "default")], headers: app.bearer(access))
            #expect(reply.status == .forbidden && reply.error == "no API configuration downloads allowed")
        }
    }

    @Test("concurrent connects of one user neither fail nor deadlock", arguments: TestHost.Backend.allCases)
    func concurrentConnectsOfOneUser(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend, yaml: "api: { max_active_configurations: 3 }") { app in
            var tokens: [String] = []
            for _ in 0..<12 { tokens.append(try await app.tokens().access) }
            let statuses = try await withThrowingTaskGroup(of: (HTTPResponse.Status, String).self) { group in
                for token in tokens + tokens {
                    group.addTask {
                        let r = try await app.send(.post, "/api/v3/connect", form: [("profile_id", "default")], headers: app.bearer(token)); return (r.status, r.status == .ok ? "" : r.body)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.allSatisfy { $0.0 == .ok }, "\(statuses.filter { $0.0 != .ok })")
            let perAuthorization = try await app.runtime.store.query(
                "SELECT auth_key, count(*) AS n FROM vpn_configurations GROUP BY auth_key")
            #expect(try perAuthorization.allSatisfy { try $0.int("n") == 1 }, "one configuration per authorization")
            let settled = try await app.send(.post, "/api/v3/connect", form: [("profile_id", "default")], headers: app.bearer(tokens[0]))
            #expect(settled.status == .ok)
            #expect(try await app.runtime.store.query("SELECT credential_id FROM vpn_configurations").count == 3)
        }
    }

    @Test("RFC 7009 revocation ends the authorization at once", arguments: TestHost.Backend.allCases)
    func revocation(backend: TestHost.Backend) async throws {
        try await Self.withClient(backend) { app in
            let (access, refresh) = try await app.tokens()
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(access)).status == .ok)
            let missing = try await app.send(.post, "/oauth/revoke", form: [])
            #expect(missing.status == .badRequest && missing.error == "invalid_request")
            let unknown = try await app.send(.post, "/oauth/revoke", form: [("token", "whatever")])
            #expect(unknown.status == .ok)
            let revoked = try await app.send(.post, "/oauth/revoke", form: [("token", refresh), ("token_type_hint", "refresh_token")])
            #expect(revoked.status == .ok)
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(access)).status == .unauthorized)
        }
    }

    @Test("access tokens, codes and authorizations expire", arguments: TestHost.Backend.allCases)
    func expiry(backend: TestHost.Backend) async throws {
        let clock = TestClock()
        try await Self.withClient(backend, yaml: "oauth: { access_token_expiry: PT10M, session_expiry: PT1H }", clock: clock) { app in
            let (access, refresh) = try await app.tokens()
            let staleCode = try await app.code()
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(access)).status == .ok)
            clock.advance(by: 601)
            #expect(try await app.send(.get, "/api/v3/info", headers: app.bearer(access)).status == .unauthorized)
            let late = try await app.send(.post, "/oauth/token", form: [
                ("grant_type", "authorization_code"), ("code", staleCode), ("redirect_uri", OAuthTestClient.redirectURI),
                ("client_id", OAuthTestClient.clientID), ("code_verifier", OAuthTestClient.verifier),
            ])
            #expect(late.status == .badRequest && late.error == "invalid_grant", "codes live 5 minutes")
            let renewed = try await app.send(.post, "/oauth/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", refresh), ("client_id", OAuthTestClient.clientID),
            ])
            #expect(renewed.status == .ok)
            #expect(renewed.json["expires_in"] as? Int == 600)
            let newRefresh = try #require(renewed.json["refresh_token"] as? String)
            clock.advance(by: 3_000)  // 3601 s after approval: the authorization has ended
            #expect(try await app.send(.post, "/oauth/token", form: [
                ("grant_type", "refresh_token"), ("refresh_token", newRefresh), ("client_id", OAuthTestClient.clientID),
            ]).error == "invalid_grant")
        }
    }

    @Test("a permission can give a longer (or shorter) session", arguments: [TestHost.Backend.sqlite])
    func sessionExpiryByPermission(backend: TestHost.Backend) async throws {
        let yaml = """
            oauth:
              session_expiry: P90D
              session_expiry_by_permission:
                - { permission: "https://eduvpn.org/expiry#P1Y", expiry: P365D }
                - { permission: short, expiry: PT12H }
            """
        try await Self.withClient(backend, yaml: yaml) { app in
            try await app.runtime.directory.add("year", authProvider: "local", permissions: ["https://eduvpn.org/expiry#P1Y", "short"])
            try await app.runtime.directory.add("day", authProvider: "local", permissions: ["short"])
            let now = app.runtime.clock.secondsSince1970
            for (user, days) in [("alice", 90.0), ("year", 365.0), ("day", 0.5)] {
                _ = try await app.tokens(user: user)
                let expires = try #require(try await app.runtime.store.first(
                    "SELECT max(expires_at) AS e FROM oauth_authorizations WHERE user_id = \(user)")).int("e")
                #expect(abs(Double(expires - now) - days * 86_400) < 60, "\(user): \(Double(expires - now) / 86_400) days")
            }
        }
    }

    @Test func wellKnownAndRedirectPatterns() async throws {
        try await Self.withClient(.sqlite) { app in
            let reply = try await app.send(.get, "/.well-known/vpn-user-portal")
            let api = ((reply.json["api"] as? [String: Any])?["http://eduvpn.org/api#3"]) as? [String: String]
            #expect(api?["api_endpoint"] == "https://localhost/api/v3")
            #expect(api?["token_endpoint"] == "https://localhost/oauth/token")
            #expect(reply.headers[.cacheControl] == "no-store")
        }
        let linux = try #require(OAuthClientRegistry(configured: []).client("org.eduvpn.app.linux"))
        #expect(linux.accepts(redirectURI: "http://127.0.0.1:61234/callback") && linux.accepts(redirectURI: "http://[::1]:1/callback"))
        for bad in ["http://127.0.0.1:0/callback", "http://127.0.0.1:65536/callback", "http://127.0.0.1:/callback",
            "http://127.0.0.1:80/callback/x", "http://127.0.0.1:80@evil/callback", "https://127.0.0.1:80/callback"] {
            #expect(!linux.accepts(redirectURI: bad), "\(bad)")
        }
        let ios = try #require(OAuthClientRegistry(configured: []).client("org.letsconnect-vpn.app.ios"))
        #expect(ios.accepts(redirectURI: "org.letsconnect-vpn.app.ios:/api/callback") && !ios.accepts(redirectURI: "http://127.0.0.1:1/callback"))
    }
}
