import Foundation
import PluginAPI
import Testing

@testable import Host

@Suite("Configuration")
struct ConfigurationTests {
    func error(_ yaml: String, environment: [String: String] = [:]) throws -> ConfigError {
        do {
            _ = try TestHost.load(yaml, directory: "/tmp/unused", environment: environment)
        } catch let error as ConfigError {
            return error
        }
        Issue.record("expected a configuration error for:\n\(yaml)")
        return ConfigError(key: "", problem: "")
    }

    @Test func defaultsWithoutAFile() throws {
        let loaded = try LoadedConfiguration.load(
            path: nil, environment: [:], overrides: .init(), registrations: BuiltInPlugins.all)
        #expect(loaded.host.listen == ListenAddress(host: "127.0.0.1", port: 8443))
        #expect(loaded.host.dataDirectory == "./portolan-data")
        #expect(loaded.host.database.url == nil)
        #expect(loaded.plugins.map(\.registration.id.rawValue) == ["local-auth", "profiles", "openvpn"])
    }

    @Test func unknownKeysAreNamed() throws {
        #expect(try error("server:\n  listn: 1.2.3.4:5\n").key == "server.listn")
        #expect(try error("colour: blue\n").key == "colour")
        #expect(try error("plugins:\n  local-auth:\n    bcrypt_cots: 12\n").key == "plugins.local-auth.bcrypt_cots")
        #expect(
            try error("plugins:\n  profiles:\n    profiles:\n      - id: a\n        openvpn: {ipv4_range: 10.0.0.0/24, ipv6_range: fd00::/64, ipv4_rnage: 1}\n").key
                == "plugins.profiles.profiles[0].openvpn.ipv4_rnage")
        let unknownPlugin = try error("plugins:\n  ldapp: {}\n")
        #expect(unknownPlugin.key == "plugins.ldapp")
        #expect(unknownPlugin.problem.contains("unknown plugin"))
    }

    @Test func wrongTypesAreNamed() throws {
        let cost = try error("plugins:\n  local-auth:\n    bcrypt_cost: twelve\n")
        #expect(cost.key == "plugins.local-auth.bcrypt_cost")
        #expect(cost.problem.contains("expected an integer"))
        #expect(try error("plugins:\n  local-auth:\n    bcrypt_cost: 4\n").problem.contains("out of range"))
        #expect(try error("server: [1, 2]\n").key == "server")
        #expect(try error("database:\n  pool_size: {a: 1}\n").key == "database.pool_size")
        #expect(try error("plugins:\n  openvpn:\n    enabled: maybe\n").key == "plugins.openvpn.enabled")
        #expect(try error("log:\n  level: loud\n").problem.contains("not one of"))
    }

    static func profile(_ id: String, _ v4: String, _ v6: String = "fd00::/64", extra: String = "") -> String {
        "      - id: \(id)\n\(extra)        openvpn:\n          ipv4_range: \(v4)\n          ipv6_range: \(v6)\n"
    }

    @Test func invalidCIDRsAndProfilesAreNamed() throws {
        let head = "plugins:\n  profiles:\n    profiles:\n"
        let prefix = try error(head + Self.profile("a", "10.0.0.0/33"))
        #expect(prefix.key == "plugins.profiles.profiles[0].openvpn.ipv4_range")
        #expect(prefix.problem.contains("10.0.0.0/33"))
        let hostBits = try error(head + Self.profile("a", "10.0.0.1/24"))
        #expect(hostBits.problem.contains("did you mean 10.0.0.0/24"))
        let garbage = try error(head + Self.profile("a", "10.0.0.0/24", extra: "        routes: [192.168.1.0/24, nonsense]\n"))
        #expect(garbage.key == "plugins.profiles.profiles[0].routes[1]")
        let overlap = try error(head + Self.profile("a", "10.0.0.0/16") + Self.profile("b", "10.0.5.0/24", "fd01::/64"))
        #expect(overlap.key == "plugins.profiles.profiles[1].openvpn.ipv4_range")
        #expect(overlap.problem == "profile 'b': 10.0.5.0/24 overlaps 10.0.0.0/16 of profile 'a'")
        #expect(try error(head + "      - id: Bad Id\n").key == "plugins.profiles.profiles[0].id")
    }

    @Test func databaseURLsAndSecrets() throws {
        #expect(try error("database:\n  url: mysql://a@b/c\n").problem.contains("postgres://"))
        #expect(try error("database:\n  url: postgres://u@h\n").problem.contains("no database name"))
        let env = try error("", environment: ["PORTOLAN_DATABASE_URL": "postgres://u:pw@h:99999/d"])
        #expect(env.key == "PORTOLAN_DATABASE_URL")
        #expect(!env.description.contains("pw"))
        let missingEnv = try error("database:\n  url: { env: NO_SUCH_VARIABLE_X }\n")
        #expect(missingEnv.key == "database.url")
        #expect(missingEnv.problem.contains("NO_SUCH_VARIABLE_X is not set"))
        let fromEnv = try TestHost.load(
            "database:\n  url: { env: DB }\n", directory: "/tmp/unused",
            environment: ["DB": "postgres://user:pa%40ss@db.example:6543/portolan?sslmode=require"])
        let url = try #require(fromEnv.host.database.url)
        #expect(url.password == "pa@ss")
        #expect(url.port == 6543)
        #expect(url.sslMode == .require)
        #expect(!url.description.contains("pa"), "the description hides the password")
    }

    @Test func publicURLMustBeOneToken() throws {
        #expect(try error("server:\n  public_url: \"https://vpn.example.org/\\nverb 9\"\n").key == "server.public_url")
        #expect(try error("server:\n  public_url: ftp://x/\n").problem.contains("https://"))
    }

    @Test func yamlErrorsAreOneLine() throws {
        let broken = try error("server:\n  listen: [unclosed\n")
        #expect(broken.key == "test.yaml")
        #expect(!broken.description.contains("\n"))
        #expect(try error("- a\n- b\n").problem.contains("map"))
        #expect(try error("a: 1\na: 2\n").problem.contains("duplicated key(s): 'a'"))
    }

    @Test func disabledPluginSectionsAreNotValidated() throws {
        let loaded = try TestHost.load("plugins:\n  local-auth:\n    enabled: false\n    bcrypt_cost: nonsense\n", directory: "/tmp/x")
        #expect(!loaded.plugins.map(\.registration.id.rawValue).contains("local-auth"))
    }
}
