import ArgumentParser
import PluginAPI

/// `portolan user …`: manage users in the store.
struct UserCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Manage users.",
        subcommands: [Add.self, List.self, Disable.self, Enable.self, Delete.self, Passwd.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a local user; prints a generated password unless --password-stdin is given.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Make the user an admin.") var admin = false
        @Option(name: .customLong("permission"), help: "A permission for profile ACLs (repeatable).")
        var permissions: [String] = []
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            try await CommandFailure.reporting {
                let password = try passwordStdin ? PasswordInput.readStandardInput() : nil
                try await options.withRuntime { runtime in
                    let manager = try PasswordInput.manager(runtime)
                    let chosen = password ?? GeneratedPassword.make()
                    try PasswordInput.validate(chosen)
                    try await runtime.directory.add(name, authProvider: "local", isAdmin: admin, permissions: permissions)
                    do {
                        try await manager.setPassword(chosen, forUser: name)
                    } catch {
                        try? await runtime.directory.delete(name)
                        throw error
                    }
                    Console.out(password == nil ? "Added '\(name)' with password \(chosen.value)" : "Added '\(name)'")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List users, one per line: NAME, FLAGS (admin, disabled), PROVIDER, PERMISSIONS (tab separated).")
        @OptionGroup var options: GlobalOptions

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { runtime in
                    for user in try await runtime.directory.list() { Console.out(user.listLine) }
                }
            }
        }
    }

    struct Disable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disable a user: they can no longer log in.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { try await $0.directory.setDisabled(name, true) }
                Console.out("Disabled '\(name)'")
            }
        }
    }

    struct Enable: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Enable a disabled user.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { try await $0.directory.setDisabled(name, false) }
                Console.out("Enabled '\(name)'")
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user and their password.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The user name.") var name: String

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { runtime in
                    try await runtime.directory.delete(name)
                    for manager in runtime.registry.passwordAccountManagers {
                        try await manager.removePassword(forUser: name)
                    }
                }
                Console.out("Deleted '\(name)'")
            }
        }
    }

    struct Passwd: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Set a user's password; prints a generated one unless --password-stdin is given.")
        @OptionGroup var options: GlobalOptions
        @Argument(help: "The user name.") var name: String
        @Flag(help: "Read the password from the first line of standard input.") var passwordStdin = false

        func run() async throws {
            try await CommandFailure.reporting {
                let password = try passwordStdin ? PasswordInput.readStandardInput() : nil
                try await options.withRuntime { runtime in
                    guard try await runtime.directory.find(name) != nil else {
                        throw PluginError.notFound("no user '\(name)'")
                    }
                    let chosen = password ?? GeneratedPassword.make()
                    try PasswordInput.validate(chosen)
                    try await PasswordInput.manager(runtime).setPassword(chosen, forUser: name)
                    Console.out(password == nil ? "New password for '\(name)': \(chosen.value)" : "Password of '\(name)' set")
                }
            }
        }
    }
}
