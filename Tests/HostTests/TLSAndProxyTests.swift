import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import NIOSSL
import PluginAPI
import Testing

@testable import Host

@Suite("TLS, OAuth and proxy configuration")
struct TLSAndProxyTests {
    func error(_ yaml: String) throws -> ConfigError {
        do {
            _ = try TestHost.load(yaml, directory: "/tmp/unused")
        } catch let error as ConfigError {
            return error
        }
        Issue.record("expected a configuration error for:\n\(yaml)")
        return ConfigError(key: "", problem: "")
    }

    @Test func configurationErrorsNameTheKey() throws {
        #expect(try error("server:\n  tls:\n    certificate_file: /x.pem\n").key == "server.tls.key_file")
        #expect(try error("server:\n  tls:\n    enabled: false\n    key_file: /x.key\n").key == "server.tls.enabled")
        #expect(try error("server:\n  trusted_proxies: [10.0.0.1/8]\n").key == "server.trusted_proxies[0]")
        #expect(try error("server:\n  public_url: 'https://vpn\"x/'\n").key == "server.public_url")
        #expect(try error("oauth:\n  access_token_expiry: 1h\n").key == "oauth.access_token_expiry")
        #expect(try error("oauth:\n  access_token_expiry: P2D\n").problem.contains("outside"))
        #expect(try error("oauth:\n  clients:\n    - client_id: a\n      redirect_uris: []\n").key == "oauth.clients[0].redirect_uris")
        #expect(try error("oauth:\n  clients:\n    - client_id: a\n      redirect_uris: ['http://evil.example/cb']\n").key
            == "oauth.clients[0].redirect_uris[0]")
        #expect(try error("oauth:\n  clients:\n    - {client_id: a, redirect_uris: ['x:/cb']}\n    - {client_id: a, redirect_uris: ['x:/cb']}\n").key
            == "oauth.clients[1].client_id")
        #expect(try error("api:\n  max_active_configurations: -1\n").key == "api.max_active_configurations")
        let loaded = try TestHost.load(
            "server:\n  tls: { enabled: false }\noauth:\n  clients:\n    - {client_id: org.example.vpn, redirect_uris: ['org.example.vpn:/cb']}\n",
            directory: "/tmp/unused")
        #expect(loaded.host.tls == .disabled)
        #expect(OAuthClientRegistry(configured: loaded.host.oauth.clients).client("org.example.vpn")?.accepts(redirectURI: "org.example.vpn:/cb") == true)
        #expect(OAuthClientRegistry(configured: loaded.host.oauth.clients).client("org.eduvpn.app.linux") != nil, "official apps stay")
    }

    func origin(_ yaml: String, peer: String, headers: HTTPFields) throws -> RequestOrigin {
        let configuration = try TestHost.load(yaml, directory: "/tmp/unused").host
        var head = HTTPRequest(method: .get, scheme: "https", authority: "vpn.internal:8443", path: "/")
        head.headerFields = headers
        let request = Request(head: head, body: .init(buffer: ByteBuffer()))
        return RequestOrigin.Policy(configuration: configuration).origin(of: request, peer: try SocketAddress(ipAddress: peer, port: 40000))
    }

    @Test func forwardedHeadersOnlyFromTrustedProxies() throws {
        let forwarded: HTTPFields = [
            HTTPField.Name("X-Forwarded-For")!: "198.51.100.7, 10.0.0.5", HTTPField.Name("X-Forwarded-Proto")!: "https",
            HTTPField.Name("X-Forwarded-Host")!: "vpn.example.org",
        ]
        let yaml = "server:\n  tls: { enabled: false }\n  trusted_proxies: [10.0.0.0/24]\n"
        let proxied = try origin(yaml, peer: "10.0.0.5", headers: forwarded)
        #expect(proxied.baseURL == "https://vpn.example.org" && proxied.clientAddress == "198.51.100.7" && proxied.isSecure)
        let mapped = try origin(yaml, peer: "::ffff:10.0.0.5", headers: forwarded)
        #expect(mapped.baseURL == "https://vpn.example.org", "IPv4-mapped peers match IPv4 proxies")
        let direct = try origin(yaml, peer: "203.0.113.9", headers: forwarded)
        #expect(direct.baseURL == "http://vpn.internal:8443" && direct.clientAddress == "203.0.113.9" && !direct.isSecure)
        var hostile = forwarded
        hostile[HTTPField.Name("X-Forwarded-Host")!] = "evil\"}.example"
        #expect(try origin(yaml, peer: "10.0.0.5", headers: hostile).baseURL == "https://localhost", "unsafe hosts are not echoed")
        let pinned = try origin(yaml + "  public_url: https://vpn.example.net/\n", peer: "10.0.0.5", headers: forwarded)
        #expect(pinned.baseURL == "https://vpn.example.net" && pinned.clientAddress == "198.51.100.7")
    }

    @Test func selfSignedIdentityIsKeptInTheStore() async throws {
        try await TestHost.withRuntime(.sqlite) { runtime in
            let first = try #require(try await ServerTLS.load(.selfSigned, hostNames: ["vpn.example.org", "192.0.2.1"], secrets: runtime.secrets, clock: runtime.clock))
            let second = try #require(try await ServerTLS.load(.selfSigned, hostNames: [], secrets: runtime.secrets, clock: runtime.clock))
            #expect(first.fingerprint == second.fingerprint && first.isSelfSigned)
            #expect(first.configuration.minimumTLSVersion == .tlsv13)
            let pem = String(decoding: try await runtime.secrets.secret(named: ServerTLS.secretName) { [] }, as: UTF8.self)
            #expect(pem.contains("BEGIN CERTIFICATE") && pem.contains("BEGIN PRIVATE KEY"))
            #expect(try await ServerTLS.load(.disabled, hostNames: [], secrets: runtime.secrets, clock: runtime.clock) == nil)
            await #expect(throws: ConfigError.self) {
                _ = try await ServerTLS.load(.files(certificate: "/nonexistent.pem", key: "/nonexistent.key"), hostNames: [], secrets: runtime.secrets, clock: runtime.clock)
            }
        }
    }

    @Test func housekeepingDeletesWhatExpired() async throws {
        try await TestHost.withRuntime(.sqlite) { runtime in
            try await runtime.directory.add("alice", authProvider: "local")
            let now = runtime.clock.secondsSince1970
            let store = runtime.store
            for (key, generation, created, expires) in [("a", 1, now, now + 100), ("b", 1, now - 200, now - 1), ("c", 0, now - 600, now + 100), ("d", 0, now, now + 100)] {
                try await store.execute(
                    """
                    INSERT INTO oauth_authorizations (auth_key, user_id, client_id, scope, redirect_uri, code_challenge, created_at, expires_at, refresh_generation)
                    VALUES (\(String(repeating: key, count: 32)), 'alice', 'c', 'config', 'r', 'x', \(created), \(expires), \(generation))
                    """)
            }
            let counts = try await HousekeepingService(store: store, clock: runtime.clock, codeExpiry: 300, logger: .quiet).purge()
            #expect(counts["oauth_authorizations"] == 2)
            let left = try await store.query("SELECT auth_key FROM oauth_authorizations ORDER BY auth_key").map { try $0.string("auth_key").prefix(1) }
            #expect(left == ["a", "d"])
        }
    }
}
