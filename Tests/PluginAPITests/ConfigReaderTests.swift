import PluginAPI
import Testing

@Suite("ConfigReader")
struct ConfigReaderTests {
    let tree = ConfigNode.map([
        ("name", .scalar("portolan")),
        ("count", .scalar("12")),
        ("flag", .scalar("yes")),
        ("list", .list([.scalar("a"), .scalar("b")])),
        ("nested", .map([("inner", .scalar("x")), ("extra", .scalar("y"))])),
        ("items", .list([.map([("id", .scalar("one"))]), .map([("id", .scalar("two")), ("typo", .scalar("z"))])])),
        ("password", .map([("env", .scalar("TEST_SECRET"))])),
        ("empty", .null),
    ])

    @Test func typedReadsAndDefaults() throws {
        let reader = ConfigReader(root: tree, environment: ["TEST_SECRET": "s3"], tracker: ConfigKeyTracker())
        #expect(try reader.string("name") == "portolan")
        #expect(try reader.int("count", default: 0, range: 1...20) == 12)
        #expect(try reader.bool("flag", default: false))
        #expect(try reader.stringList("list") == ["a", "b"])
        #expect(try reader.string("missing", default: "d") == "d")
        #expect(try reader.optionalString("empty") == nil)
        #expect(try reader.secret("password") == "s3")
        #expect(try reader.section("nested").string("inner") == "x")
        #expect(try reader.sections("items").map { try $0.string("id") } == ["one", "two"])
    }

    @Test func errorsNameTheFullKey() throws {
        let reader = ConfigReader(root: tree, environment: [:], tracker: ConfigKeyTracker())
        #expect(throws: ConfigError(key: "count", problem: "12 is out of range 1...5")) {
            try reader.int("count", default: 0, range: 1...5)
        }
        #expect(throws: ConfigError(key: "name", problem: "expected an integer, found 'portolan'")) {
            try reader.int("name", default: 0)
        }
        #expect(throws: ConfigError(key: "list", problem: "expected a string, found a list")) { try reader.string("list") }
        #expect(throws: ConfigError(key: "missing", problem: "is required")) { try reader.string("missing") }
        #expect(throws: ConfigError(key: "password", problem: "environment variable TEST_SECRET is not set")) {
            try reader.secret("password")
        }
        #expect(throws: ConfigError(key: "nested.inner", problem: "expected true or false, found 'x'")) {
            try reader.section("nested").bool("inner", default: false)
        }
    }

    @Test func unreadKeysAreReported() throws {
        let tracker = ConfigKeyTracker()
        let reader = ConfigReader(root: tree, environment: ["TEST_SECRET": "s3"], tracker: tracker)
        _ = try reader.string("name")
        _ = try reader.section("nested").string("inner")
        _ = try reader.sections("items").map { try $0.string("id") }
        _ = try reader.secret("password")
        #expect(tracker.unreadKeys(in: tree) == ["count", "flag", "list", "nested.extra", "items[1].typo", "empty"])
        tracker.ignoreSubtree("nested")
        #expect(!tracker.unreadKeys(in: tree).contains("nested.extra"))
    }
}
