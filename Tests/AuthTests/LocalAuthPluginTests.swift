import AuthPlugin
import PluginAPI
import Testing

@Suite("Local auth plugin configuration")
struct LocalAuthPluginTests {
    func read(_ tree: ConfigNode) throws -> LocalAuthPlugin.Configuration {
        try LocalAuthPlugin.readConfiguration(from: ConfigReader(root: tree, environment: [:], tracker: ConfigKeyTracker()))
    }

    @Test func defaultsToCostEleven() throws {
        #expect(try read(.emptyMap).bcryptCost == 11)
        #expect(try read(.map([("bcrypt_cost", .scalar("13"))])).bcryptCost == 13)
    }

    @Test func refusesWeakOrAbsurdCosts() {
        #expect(throws: ConfigError.self) { try read(.map([("bcrypt_cost", .scalar("9"))])) }
        #expect(throws: ConfigError.self) { try read(.map([("bcrypt_cost", .scalar("15"))])) }
    }
}
