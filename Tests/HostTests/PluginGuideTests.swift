import Foundation
import PluginAPI
import Testing

@testable import Host

/// docs/PLUGINS.md: its example is the compiled file, is short, and passes the auth conformance suite.
@Suite("Plugin guide")
struct PluginGuideTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test func theGuideShowsTheCompiledExample() throws {
        let guide = try String(contentsOf: Self.root.appendingPathComponent("docs/PLUGINS.md"), encoding: .utf8)
        let source = try String(contentsOf: Self.root.appendingPathComponent("Tests/HostTests/Examples/GuestDeskPlugin.swift"), encoding: .utf8)
        let begin = try #require(guide.range(of: "<!-- example:begin -->\n```swift\n"))
        let end = try #require(guide.range(of: "```\n<!-- example:end -->"))
        #expect(String(guide[begin.upperBound..<end.lowerBound]) == source, "docs/PLUGINS.md must show GuestDeskPlugin.swift unchanged")
        #expect(source.split(separator: "\n", omittingEmptySubsequences: false).count < 60, "the example stays under 60 lines")
    }

    @Test(arguments: TestHost.Backend.allCases)
    func theExamplePassesTheConformanceSuite(_ backend: TestHost.Backend) async throws {
        try await CustomAuthPluginTests.skipUnlessAvailable(backend)
        let yaml = """
            plugins:
              guest-desk:
                enabled: true
                guests:
                  - { name: alice, code: { env: ALICE_CODE }, permissions: [guests, staff] }
            """
        try await TestHost.withRuntime(
            backend, yaml: yaml, registrations: BuiltInPlugins.all + [PluginRegistration(GuestDeskPlugin.self)],
            environment: ["ALICE_CODE": "alice-password"]
        ) { runtime in
            try await AuthConformance(user: "alice", password: "alice-password", expectedPermissions: ["guests", "staff"], providerID: "guest-desk")
                .check(runtime)
        }
    }
}
