import Foundation
import PluginAPI
import TestSupport
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

    static let ldap = ProcessInfo.processInfo.environment["PORTOLAN_TEST_LDAP"].flatMap { $0.isEmpty ? nil : $0 }
    static let ldaps = ProcessInfo.processInfo.environment["PORTOLAN_TEST_LDAPS"].flatMap { $0.isEmpty ? nil : $0 }
    static let ldapCA = ProcessInfo.processInfo.environment["PORTOLAN_LDAP_DIR"].map { "\($0)/ca.pem" }
    static let ldapSkip: Comment = "PORTOLAN_TEST_LDAP is not set (scripts/test.sh starts slapd when it is installed)"

    static func ldapYAML(uri: String, search: Bool, extra: String = "") -> String {
        let find = search
            ? """
                  base_dn: "ou=people,dc=example,dc=org"
                  user_filter: "(&(objectClass=inetOrgPerson)(uid={{UID}}))"
                  search_bind_dn: "cn=portolan,dc=example,dc=org"
                  search_bind_password: { env: LDAP_SEARCH_PASSWORD }
              """
            : """
                  bind_dn_template: "uid={{UID}},ou=people,dc=example,dc=org"
              """
        return """
            plugins:
              local-auth:
                enabled: false
              ldap:
                enabled: true
                uri: \(uri)
            \(find)
                user_id_attribute: uid
                permission_attributes: [employeeType]
                timeout: PT2S
            \(extra)
            """
    }

    @Test("LDAP (slapd): bind template and search-then-bind; plain, LDAPS and StartTLS", .enabled(if: ldap != nil, ldapSkip),
        arguments: [false, true], ["ldap", "ldaps", "starttls"])
    func ldapConformance(search: Bool, transport: String) async throws {
        let server = try #require(transport == "ldaps" ? Self.ldaps : Self.ldap)
        let ca = "    ca_file: \(try #require(Self.ldapCA))"
        let extra = transport == "ldaps" ? ca : transport == "starttls" ? ca + "\n    start_tls: true" : ""
        let yaml = Self.ldapYAML(uri: "\(transport == "ldaps" ? "ldaps" : "ldap")://\(server)", search: search, extra: extra)
        try await TestHost.withRuntime(.sqlite, yaml: yaml, environment: ["LDAP_SEARCH_PASSWORD": "search-password"]) { runtime in
            try await AuthConformance(user: "alice", password: "alice-password", expectedPermissions: ["staff", "vpn"], providerID: "ldap")
                .check(runtime)
            let bob = try #require(try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "bob", password: SecretString("bob-password")), context: AuthCallContext(logger: .quiet)))
            #expect(bob.identity.permissions.isEmpty && bob.identity.displayName == "Bob Example")
            // An empty password would be an anonymous bind, which slapd accepts: refused before asking.
            await #expect(throws: AuthFailure.self) {
                _ = try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "alice", password: SecretString("")), context: AuthCallContext(logger: .quiet))
            }
        }
    }

    @Test("LDAP: unreachable server and untrusted certificate fail fast and clearly", .enabled(if: ldap != nil, ldapSkip))
    func ldapFailures() async throws {
        try await TestHost.withRuntime(.sqlite, yaml: Self.ldapYAML(uri: "ldap://127.0.0.1:9", search: false)) { runtime in
            try await AuthConformance.checkUnreachable(runtime, naming: "127.0.0.1:9")
        }
        // LDAPS without the test CA: the system roots do not trust it.
        let server = try #require(Self.ldaps)
        try await TestHost.withRuntime(.sqlite, yaml: Self.ldapYAML(uri: "ldaps://\(server)", search: false)) { runtime in
            try await AuthConformance.checkUnreachable(runtime, naming: server)
        }
        // StartTLS without the test CA: the upgrade happens, and the certificate is refused.
        let plain = try #require(Self.ldap)
        try await TestHost.withRuntime(.sqlite, yaml: Self.ldapYAML(uri: "ldap://\(plain)", search: false, extra: "    start_tls: true")) { runtime in
            try await AuthConformance.checkUnreachable(runtime, naming: plain)
        }
        // A stalled server (the kernel accepts the TCP connection, nothing ever answers) is cut off at the timeout.
        let stalled = try SilentListener()
        defer { stalled.close() }
        try await TestHost.withRuntime(.sqlite, yaml: Self.ldapYAML(uri: "ldap://127.0.0.1:\(stalled.port)", search: false)) { runtime in
            try await AuthConformance.checkUnreachable(runtime, naming: "127.0.0.1:\(stalled.port)", limit: .seconds(4))
        }
    }

    @Test func ldapFiltersAndDNsAreEscaped() throws {
        #expect(LDAPFilter.escape("*)(uid=*))(|(uid=*") == "\\2a\\29\\28uid=\\2a\\29\\29\\28|\\28uid=\\2a")
        let filter = try LDAPFilter.parse("(uid=" + LDAPFilter.escape("*)(uid=*") + ")")
        #expect(filter.tag == BERElement.context(3, constructed: true))
        #expect(try filter.children[1].text == "*)(uid=*", "the whole name is one literal value")
        #expect(LDAPAuthProvider.escapeDNValue("a,b=c+d") == "a\\,b\\=c\\+d")
        #expect(LDAPAuthProvider.escapeDNValue(" #x ") == "\\ #x\\ ")
        for bad in ["uid=x", "(uid=x", "(&)", "(uid~=x)", "(uid=\\zz)", "(uid=x))"] {
            #expect(throws: LDAPFilter.ParseError.self, "\(bad)") { _ = try LDAPFilter.parse(bad) }
        }
        let nested = try LDAPFilter.parse("(&(objectClass=*)(|(cn=a*b*c)(!(uid>=m))))")
        #expect(nested.tag == BERElement.context(0, constructed: true))
        #expect(try nested.children.count == 2)
        #expect(BERElement.integer(300).value == [0x01, 0x2C] && BERElement.integer(128).value == [0x00, 0x80])
        #expect(BERElement.integer(-1).value == [0xFF])
        let long = BERElement(tag: BERElement.octetString, value: [UInt8](repeating: 7, count: 300))
        #expect(try BERElement.decodeAll(long.encoded()[...]) == [long])
        #expect(throws: BERElement.DecodingError.self) { _ = try BERElement.decodeAll([0x30, 0x80, 0x00, 0x00][...]) }
    }

    /// In CI nothing may skip: FreeRADIUS must be running.
    @Test func radiusRunsInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil {
            #expect(Self.radius != nil, "CI must install freeradius (scripts/test.sh starts it)")
            #expect(Self.ldap != nil && Self.ldaps != nil, "CI must install slapd (scripts/test.sh starts it)")
            #expect(OIDCLoginTests.issuer != nil, "CI must run oidc-provider-mock (scripts/test.sh starts it)")
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

/// A TCP socket that listens on loopback and never accepts or answers: a server that hangs.
struct SilentListener {
    let descriptor: Int32
    let port: Int

    init() throws {
        let handle = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(handle, $0, length) } }
        guard bound == 0, listen(handle, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(handle, $0, &length) } }
        descriptor = handle
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() { _ = Glibc.close(descriptor) }
}
