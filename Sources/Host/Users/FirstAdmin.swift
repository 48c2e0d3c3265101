import Logging
import PluginAPI

/// Creates the first admin on a store that has none, with a generated password shown once.
enum FirstAdmin {
    static let userID = "admin"

    /// Creates `admin` when no admin exists.
    /// - Returns: the generated password when this call created the admin; `nil` otherwise (also when another
    ///   replica won the race).
    static func ensure(_ runtime: HostRuntime) async throws -> SecretString? {
        guard try await !runtime.directory.hasAdmin() else { return nil }
        guard let manager = runtime.passwordManager else {
            runtime.logger.warning("no admin exists and no local password plugin is enabled; add one with 'portolan user add'")
            return nil
        }
        do {
            try await runtime.directory.add(userID, authProvider: "local", isAdmin: true)
        } catch let error as PluginError where error.code == .conflict {
            return nil
        }
        let password = GeneratedPassword.make()
        try await manager.setPassword(password, forUser: userID)
        return password
    }
}
