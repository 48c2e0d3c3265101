import NIOCore
public import ArgumentParser
import NIOPosix

/// `portolan`: the root of the command tree.
public struct PortolanCommand: AsyncParsableCommand {
    /// The version `portolan --version` prints.
    public static let version = "0.1.0"

    /// Names the subcommands.
    public static let configuration = CommandConfiguration(
        commandName: "portolan",
        abstract: "Portolan: an eduVPN / Let's Connect! compatible VPN access server.",
        version: version,
        subcommands: [ServeCommand.self, MigrateCommand.self, UserCommand.self, ProfileCommand.self, NodeCommand.self, ConfigCommand.self]
    )

    /// Creates the command (argument parser needs it).
    public init() {}
}

/// The process entry point, so that the executable target needs nothing but `Host`.
public enum PortolanEntryPoint {
    /// Makes NIO's event loops Swift Concurrency's global executor, so that request handlers, store calls and I/O
    /// run on the same two threads instead of hopping between three pools (measured: fewer context switches, more
    /// `/connect`s per second). Call first thing in `main`, once. Blocking work must go through
    /// ``PluginAPI/BlockingExecutor`` (the NIO thread pool), never the global executor.
    public static func useEventLoopsAsGlobalExecutor() {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Parses the command line and runs the command with the built-in plugins plus `plugins` (an institution's own,
    /// registered in its own executable: see docs/PLUGINS.md).
    /// - Parameter plugins: extra plugins, tried after the built-in ones.
    public static func main(plugins: [PluginRegistration] = []) async {
        PluginCatalog.install(BuiltInPlugins.all + plugins)
        await PortolanCommand.main()
    }
}
