import PluginAPI
import Testing

@testable import Host

@Suite("Local password accounts")
struct LocalAuthTests {
    @Test(arguments: TestHost.Backend.allCases)
    func loginLifecycle(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(backend, yaml: "plugins:\n  local-auth:\n    bcrypt_cost: 10\n") { runtime in
            let manager = try #require(runtime.passwordManager)
            let context = AuthCallContext(logger: .quiet)
            try await runtime.directory.add("alice", authProvider: "local", permissions: ["staff", "vpn"])
            try await manager.setPassword(SecretString("correct horse"), forUser: "alice")

            let stored = try #require(
                try await runtime.store.first("SELECT password_hash FROM local_auth_passwords WHERE user_id = 'alice'"))
            let hash = try stored.string("password_hash")
            #expect(hash.hasPrefix("$2b$10$"), "bcrypt at the configured cost")
            #expect(!hash.contains("correct horse"))

            let ok = try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "alice", password: SecretString("correct horse")), context: context)
            #expect(ok?.identity.userID == "alice")
            #expect(ok?.identity.permissions == ["staff", "vpn"], "stored permissions are added")

            await #expect(throws: AuthFailure.invalidCredentials()) {
                _ = try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "alice", password: SecretString("wrong horse")), context: context)
            }
            #expect(
                try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "nobody", password: SecretString("x")), context: context) == nil)

            try await manager.setPassword(SecretString("battery staple"), forUser: "alice")
            #expect(
                try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "alice", password: SecretString("battery staple")), context: context) != nil)

            try await runtime.directory.setDisabled("alice", true)
            await #expect(throws: AuthFailure.accountDisabled()) {
                _ = try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "alice", password: SecretString("battery staple")), context: context)
            }
            try await runtime.directory.delete("alice")
            try await manager.removePassword(forUser: "alice")
            #expect(try await runtime.directory.find("alice") == nil)
            #expect(
                try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "alice", password: SecretString("battery staple")), context: context) == nil)
        }
    }

    @Test(arguments: TestHost.Backend.allCases)
    func directoryRefusesBadAndDuplicateNames(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(backend) { runtime in
            try await runtime.directory.add("bob", authProvider: "local")
            await #expect(throws: PluginError.conflict("")) { try await runtime.directory.add("bob", authProvider: "local") }
            await #expect(throws: PluginError.invalidRequest("")) { try await runtime.directory.add("has space", authProvider: "local") }
            await #expect(throws: PluginError.notFound("")) { try await runtime.directory.setDisabled("ghost", true) }
            await #expect(throws: PluginError.notFound("")) { try await runtime.directory.delete("ghost") }
            #expect(try await runtime.directory.list().map(\.userID) == ["bob"])
        }
    }

    @Test(arguments: TestHost.Backend.allCases)
    func firstBootCreatesKeysDefaultProfileAndOneAdmin(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(backend) { runtime in
            let secrets = try await runtime.store.query("SELECT scope, name FROM secrets ORDER BY scope, name")
            #expect(
                try secrets.map { "\(try $0.string("scope"))/\(try $0.string("name"))" }
                    == ["host/key-check", "host/oauth-signing-key", "host/session-key", "openvpn/ca"])
            let profiles = try await runtime.registry.profileProviders[0].profiles(context: AuthCallContext(logger: .quiet))
            #expect(profiles.map(\.id) == ["default"])
            #expect(profiles.first?.openVPN?.ipv4Range.description == "10.42.42.0/24")
            #expect(profiles.first?.nodes.map(\.id) == ["local"])

            let password = try #require(try await FirstAdmin.ensure(runtime))
            #expect(try await FirstAdmin.ensure(runtime) == nil, "only once")
            let admin = try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "admin", password: password), context: AuthCallContext(logger: .quiet))
            #expect(admin?.isAdmin == true)
        }
    }

    @Test(arguments: TestHost.Backend.allCases)
    func configuredProfilesReplaceStoredOnes(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        let yaml = """
            plugins:
              profiles:
                nodes:
                  - id: node-a
                    host_name: vpn-a.example.org
                  - id: node-b
                    host_name: vpn-b.example.org
                    listen_address: 192.0.2.10
                profiles:
                  - id: staff
                    display_name: Staff
                    required_permissions: [staff]
                    default_gateway: false
                    dns: [10.50.0.1]
                    routes: [192.0.2.0/24, 2001:db8::/32]
                    session_expiry: PT12H
                    openvpn:
                      ipv4_range: 10.50.0.0/24
                      ipv6_range: fd50::/64
                  - id: guests
                    nodes: [node-b]
                    openvpn:
                      ipv4_range: 10.51.0.0/24
                      ipv6_range: fd51::/64
                      udp_ports: [1195]
                      tcp_ports: [1195]
            """
        try await TestHost.withRuntime(backend, yaml: yaml) { runtime in
            let profiles = try await runtime.registry.profileProviders[0].profiles(context: AuthCallContext(logger: .quiet))
            #expect(profiles.map(\.id) == ["staff", "guests"])
            let staff = try #require(profiles.first)
            #expect(staff.displayName == "Staff")
            #expect(staff.defaultGateway == false)
            #expect(staff.routes.map(\.description) == ["192.0.2.0/24", "2001:db8::/32"])
            #expect(staff.permits(["staff"]) && !staff.permits(["guest"]))
            #expect(profiles[1].displayName == "guests" && profiles[1].permits([]))
            #expect(staff.sessionExpiry == 12 * 3600)
            #expect(staff.nodes.map(\.id) == ["node-a", "node-b"])
            #expect(profiles[1].nodes == [ProfileNode(id: "node-b", hostName: "vpn-b.example.org", listenAddress: "192.0.2.10")])
        }
    }
}
