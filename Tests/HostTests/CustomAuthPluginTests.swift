import Foundation
import PluginAPI
import Testing

@testable import Host

// BEGIN custom plugin: an institution's own login, written against PluginAPI only.
/// Lets a configured list of users in with a shared campus PIN (from the environment).
struct CampusPINPlugin: Plugin {
    static let id: PluginID = "campus-pin"
    struct Configuration: Sendable {
        var users: [String]
        var pin: String
    }
    static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        Configuration(users: try reader.stringList("users"), pin: try reader.secret("pin"))
    }
    let configuration: Configuration
    init(configuration: Configuration, context: PluginContext) { self.configuration = configuration }
    var contributions: Contributions {
        let configuration = self.configuration
        return Contributions(authProviders: [
            ClosureAuthProvider(id: "campus-pin") { credentials, _ in
                guard configuration.users.contains(credentials.username) else { return nil }
                guard credentials.password.matches(configuration.pin) else { throw AuthFailure.invalidCredentials() }
                return Identity(userID: credentials.username, permissions: ["campus"], authProvider: "campus-pin")
            }
        ])
    }
}
// END custom plugin

@Suite("A plugin from outside the built-in ones")
struct CustomAuthPluginTests {
    static let yaml = """
        plugins:
          campus-pin:
            users: [carol, erin]
            pin: { env: CAMPUS_PIN }
        """

    @Test func isShorterThanFortyLines() throws {
        let source = try String(contentsOfFile: #filePath, encoding: .utf8)
        let lines = source.components(separatedBy: "\n")
        let start = try #require(lines.firstIndex { $0.hasPrefix("// BEGIN custom plugin") })
        let end = try #require(lines.firstIndex { $0.hasPrefix("// END custom plugin") })
        #expect(end - start - 1 < 40)
    }

    @Test(arguments: TestHost.Backend.allCases)
    func hostAuthenticatesThroughIt(_ backend: TestHost.Backend) async throws {
        try await Self.skipUnlessAvailable(backend)
        try await TestHost.withRuntime(
            backend, yaml: Self.yaml, registrations: BuiltInPlugins.all + [PluginRegistration(CampusPINPlugin.self)],
            environment: ["CAMPUS_PIN": "4711-campus"]
        ) { runtime in
            #expect(runtime.registry.ids.map(\.rawValue) == ["local-auth", "profiles", "openvpn", "campus-pin"])
            let context = AuthCallContext(logger: .quiet)
            let result = try #require(
                try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "carol", password: SecretString("4711-campus")), context: context))
            #expect(result.identity.authProvider == "campus-pin")
            #expect(result.identity.permissions == ["campus"])
            #expect(result.isAdmin == false)
            #expect(try await runtime.directory.find("carol")?.authProvider == "campus-pin", "first login records the user")

            await #expect(throws: AuthFailure.invalidCredentials()) {
                _ = try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "erin", password: SecretString("wrong")), context: context)
            }
            let stranger = try await runtime.authenticator.authenticate(
                PasswordCredentials(username: "dave", password: SecretString("4711-campus")), context: context)
            #expect(stranger == nil, "no provider knows dave")

            try await runtime.directory.setDisabled("carol", true)
            await #expect(throws: AuthFailure.accountDisabled()) {
                _ = try await runtime.authenticator.authenticate(
                    PasswordCredentials(username: "carol", password: SecretString("4711-campus")), context: context)
            }
        }
    }

    @Test func itsConfigurationIsValidatedLikeABuiltIn() throws {
        let registrations = BuiltInPlugins.all + [PluginRegistration(CampusPINPlugin.self)]
        let missing = #expect(throws: ConfigError.self) {
            _ = try TestHost.load(Self.yaml, directory: "/tmp/x", registrations: registrations)
        }
        #expect(missing?.description == "plugins.campus-pin.pin: environment variable CAMPUS_PIN is not set")
        let wrong = "plugins:\n  campus-pin:\n    users: [a]\n    pin: x\n    pim: y\n"
        do {
            _ = try TestHost.load(wrong, directory: "/tmp/x", registrations: registrations)
            Issue.record("an unknown key was accepted")
        } catch let error as ConfigError {
            #expect(error.key == "plugins.campus-pin.pim")
        }
    }

    static func skipUnlessAvailable(_ backend: TestHost.Backend) async throws {
        if backend == .postgres && !TestPostgres.isAvailable {
            try Test.cancel(TestPostgres.skipReason)
        }
    }
}
