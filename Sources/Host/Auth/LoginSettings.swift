import PluginAPI

/// `login.*`: how many failed logins a user name and a source address may have within a window before further
/// attempts are refused without asking any provider (no hash checked, no directory queried); which permissions make
/// an admin.
struct LoginSettings: Sendable, Equatable {
    /// `login.max_failures_per_user`. Default 5.
    var maxFailuresPerUser: Int
    /// `login.max_failures_per_address`. Default 20.
    var maxFailuresPerAddress: Int
    /// `login.failure_window`: the window, and so the longest lock-out. Default `PT1M`.
    var window: Int64
    /// `login.admin_permissions`: users holding one of these (from any backend) are admins.
    var adminPermissions: Set<String> = []

    static let defaults = LoginSettings(maxFailuresPerUser: 5, maxFailuresPerAddress: 20, window: 60)

    init(maxFailuresPerUser: Int, maxFailuresPerAddress: Int, window: Int64) {
        self.maxFailuresPerUser = maxFailuresPerUser
        self.maxFailuresPerAddress = maxFailuresPerAddress
        self.window = window
    }

    init(reader: ConfigReader) throws {
        maxFailuresPerUser = try reader.int("max_failures_per_user", default: 5, range: 1...1000)
        maxFailuresPerAddress = try reader.int("max_failures_per_address", default: 20, range: 1...100_000)
        window = try reader.duration("failure_window", default: "PT1M", range: 1...86_400)
        adminPermissions = Set(try reader.stringList("admin_permissions"))
    }
}
