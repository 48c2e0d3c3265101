public import PluginAPI

/// Local users with bcrypt-hashed passwords kept in the store (`local_auth_passwords`).
///
/// Contributes the ``AuthProvider`` `local` and the ``PasswordAccountManager`` behind `portolan user add|passwd`.
///
/// Configuration (`plugins.local-auth`):
/// - `enabled` (default `true`)
/// - `bcrypt_cost` (10...14, default 11)
public struct LocalAuthPlugin: Plugin {
    /// The plugin's settings.
    public struct Configuration: Sendable {
        /// The bcrypt cost factor.
        public var bcryptCost: Int
    }

    /// `local-auth`.
    public static let id: PluginID = "local-auth"

    /// Reads `bcrypt_cost`.
    public static func readConfiguration(from reader: ConfigReader) throws -> Configuration {
        Configuration(bcryptCost: try reader.int("bcrypt_cost", default: 11, range: 10...14))
    }

    private let accounts: LocalPasswordAccounts
    private let secondFactor: LocalSecondFactor

    /// Builds the plugin.
    public init(configuration: Configuration, context: PluginContext) {
        secondFactor = LocalSecondFactor(store: context.store, secrets: context.secrets, clock: context.clock)
        accounts = LocalPasswordAccounts(
            store: context.store, blocking: context.blocking, clock: context.clock, cost: configuration.bcryptCost,
            secondFactor: secondFactor)
    }

    /// The `local` provider, the password manager and the table.
    public var contributions: Contributions {
        Contributions(
            authProviders: [accounts], passwordAccountManagers: [accounts], secondFactorManagers: [secondFactor],
            migrations: LocalPasswordAccounts.migrations + LocalSecondFactor.migrations)
    }
}
