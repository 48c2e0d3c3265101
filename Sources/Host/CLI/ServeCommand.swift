import ArgumentParser
import Logging
import PluginAPI
import ServiceLifecycle
import UnixSignals

/// `portolan serve`: boots and serves HTTP until SIGTERM or SIGINT, then finishes requests in flight and exits.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Start the controller (on SQLite in the data folder unless a PostgreSQL URL is configured).")

    @OptionGroup var options: GlobalOptions

    @Option(name: .long, help: "Address to listen on, HOST:PORT. Default: 127.0.0.1:8443 (port 0 picks a free one).")
    var listen: String?

    func run() async throws {
        try await CommandFailure.reporting {
            try await options.withRuntime(listen: listen, quiet: false) { runtime in
                try await Self.serve(runtime)
            }
        }
    }

    static func serve(_ runtime: HostRuntime) async throws {
        let config = runtime.configuration
        if let url = config.database.url {
            Console.out("Portolan \(PortolanCommand.version) on PostgreSQL \(url)")
        } else {
            Console.out("Portolan \(PortolanCommand.version) on SQLite \(config.dataDirectory)/\(StoreOpener.sqliteFileName)")
        }
        if runtime.masterKeyGenerated {
            Console.out("Generated the master key in \(config.dataDirectory)/\(MasterKey.fileName): back it up with the database.")
        }
        if let password = try await FirstAdmin.ensure(runtime) {
            Console.out("Created the first admin: user '\(FirstAdmin.userID)' with password \(password.value)")
            Console.out("  (shown only now; change it with: portolan user passwd \(FirstAdmin.userID))")
        }
        let host = config.listen.host.contains(":") ? "[\(config.listen.host)]" : config.listen.host
        let app = ApplicationBuilder.application(runtime, onRunning: { port in
            Console.out("Serving at http://\(host):\(port)/")
        })
        let group = ServiceGroup(
            configuration: .init(services: [app], gracefulShutdownSignals: [.sigterm, .sigint], logger: runtime.logger))
        try await group.run()
        runtime.logger.info("stopped")
    }
}
