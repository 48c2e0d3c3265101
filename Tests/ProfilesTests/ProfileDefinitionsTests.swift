import PluginAPI
import Testing

@testable import ProfilesPlugin

@Suite("Profile definitions")
struct ProfileDefinitionsTests {
    func read(_ items: [ConfigNode]) throws -> [VPNProfile] {
        let tree = ConfigNode.map([("profiles", .list(items))])
        return try ProfilesPlugin.readConfiguration(
            from: ConfigReader(root: tree, environment: [:], tracker: ConfigKeyTracker())
        ).profiles
    }

    func profile(_ pairs: (String, String)...) -> ConfigNode {
        .map(pairs.map { ($0.0, .scalar($0.1)) })
    }

    @Test func readsAProfile() throws {
        let profiles = try read([profile(("id", "office"), ("ipv4_range", "10.8.0.0/24"), ("ipv6_range", "fd08::/64"), ("default_gateway", "false"))])
        #expect(profiles.count == 1)
        #expect(profiles[0].displayName == "office")
        #expect(profiles[0].defaultGateway == false)
        #expect(profiles[0].ipv6Range?.description == "fd08::/64")
    }

    @Test(arguments: [
        ([("id", "UPPER")], "profiles[0].id"),
        ([("id", "a"), ("ipv4_range", "fd00::/64")], "profiles[0].ipv4_range"),
        ([("id", "a"), ("ipv6_range", "10.0.0.0/8")], "profiles[0].ipv6_range"),
        ([("id", "a"), ("ipv4_range", "10.0.0.0/30")], "profiles[0].ipv4_range"),
        ([("id", "a"), ("ipv6_range", "fd00::/120")], "profiles[0].ipv6_range"),
        ([("id", "a"), ("dns", "not-an-ip")], "profiles[0].dns[0]"),
    ])
    func rejectsBadProfiles(_ pairs: [(String, String)], _ key: String) throws {
        let node = ConfigNode.map(pairs.map { ($0.0, .scalar($0.1)) })
        do {
            _ = try read([node])
            Issue.record("accepted \(pairs)")
        } catch let error as ConfigError {
            #expect(error.key == key)
        }
    }

    @Test func rejectsDuplicatesAndOverlaps() throws {
        #expect(throws: ConfigError.self) { try read([profile(("id", "a")), profile(("id", "a"))]) }
        do {
            _ = try read([profile(("id", "a"), ("ipv6_range", "fd00::/48")), profile(("id", "b"), ("ipv6_range", "fd00:0:0:1::/64"))])
            Issue.record("overlap accepted")
        } catch let error as ConfigError {
            #expect(error.key == "profiles[1].ipv6_range")
            #expect(error.problem.contains("profile 'a'"))
        }
    }

    @Test func storedFormRoundTrips() throws {
        let original = VPNProfile(
            id: "x", displayName: "X", requiredPermissions: ["p"], defaultGateway: false,
            ipv4Range: try IPNetwork(parsing: "10.1.0.0/24"), ipv6Range: try IPNetwork(parsing: "fd01::/64"),
            dnsServers: ["10.1.0.1"], routes: [try IPNetwork(parsing: "192.0.2.0/24")])
        #expect(try StoredProfile.decode(try StoredProfile.encode(original)) == original)
    }
}
