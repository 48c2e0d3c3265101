import PluginAPI

/// Password handling shared by `user add` and `user passwd`.
enum PasswordInput {
    static let minimumLength = 8

    static func readStandardInput() throws -> SecretString {
        guard let line = readLine(strippingNewline: true), !line.isEmpty else {
            throw CLIError(message: "--password-stdin: standard input has no password line")
        }
        return SecretString(line)
    }

    static func validate(_ password: SecretString) throws {
        guard password.value.count >= minimumLength else {
            throw CLIError(message: "the password must be at least \(minimumLength) characters")
        }
    }

    static func manager(_ runtime: HostRuntime) throws -> any PasswordAccountManager {
        guard let manager = runtime.passwordManager else {
            throw CLIError(message: "no local password plugin is enabled (plugins.local-auth.enabled is false)")
        }
        return manager
    }
}
