import Logging
import PluginAPI

/// An institution's own login: the guest desk hands out a name and a code per visitor, listed in the configuration.
struct GuestDeskPlugin: Plugin {
    struct Guest: Sendable {
        var name: String
        var code: String
        var permissions: [String]
    }

    struct Configuration: Sendable {
        var guests: [Guest]
    }

    static let id: PluginID = "guest-desk"
    static let enabledByDefault = false

    static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        Configuration(guests: try reader.sections("guests").map { guest in
            Guest(name: try guest.string("name"), code: try guest.secret("code"), permissions: try guest.stringList("permissions"))
        })
    }

    let guests: [String: Guest]

    init(configuration: Configuration, context: PluginContext) {
        guests = Dictionary(configuration.guests.map { ($0.name, $0) }) { first, _ in first }
    }

    var contributions: Contributions {
        let guests = self.guests
        return Contributions(authProviders: [
            ClosureAuthProvider(id: "guest-desk") { credentials, context in
                guard let guest = guests[credentials.username] else { return nil }  // not ours: the next provider decides
                guard credentials.password.matches(guest.code) else { throw AuthFailure.invalidCredentials() }
                context.logger.info("guest desk login", metadata: ["guest": "\(guest.name)"])
                return Identity(userID: guest.name, permissions: Set(guest.permissions), authProvider: "guest-desk")
            }
        ])
    }
}
