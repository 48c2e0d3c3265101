import ArgumentParser
import Foundation
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
        let tls = try await ServerTLS.load(
            config.tls, hostNames: Self.certificateHostNames(config), secrets: runtime.secrets, clock: runtime.clock)
        if let tls {
            Console.out("TLS certificate: \(tls.isSelfSigned ? "self-signed" : "from files"), SHA-256 fingerprint \(tls.fingerprint)")
        }
        let scheme = tls == nil ? "http" : "https"
        let app = try ApplicationBuilder.application(runtime, tls: tls, onRunning: { port in
            Console.out("Serving at \(scheme)://\(host):\(port)/")
        })
        let feed = ChangeFeedService(feed: runtime.changeFeed, cache: runtime.grantCache, signal: runtime.changeSignal)
        let housekeeping = HousekeepingService(
            store: runtime.store, clock: runtime.clock, codeExpiry: config.oauth.codeExpiry, logger: runtime.logger)
        var services: [any Service] = [feed, housekeeping, app]
        services += try await nodeServices(runtime)
        // Last, so that it hears of graceful shutdown first (services stop in reverse order) and ends long-polls
        // before the servers wait for their requests.
        services.append(ShutdownNotice(signal: runtime.changeSignal))
        let group = ServiceGroup(
            configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: runtime.logger))
        try await group.run()
        runtime.logger.info("stopped")
    }

    /// The node channel (when `nodes.listen` is set or a node runs in-process) and the in-process node.
    static func nodeServices(_ runtime: HostRuntime) async throws -> [any Service] {
        let config = runtime.configuration
        let local = config.localNode
        guard let listen = config.nodes.listen ?? (local != nil ? ListenAddress(host: "127.0.0.1", port: 0) : nil) else { return [] }
        let authority = try await NodeAuthority.load(secrets: runtime.secrets, clock: runtime.clock)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let channel = try NodeChannelServer.application(runtime, authority: authority, listen: listen) { port in
            let host = listen.host.contains(":") ? "[\(listen.host)]" : listen.host
            Console.out("Node channel at https://\(host):\(port)/ (node CA SHA-256 \(authority.fingerprint))")
            portSink.yield(port)
            portSink.finish()
        }
        guard let local else { return [channel] }
        let node = try await LocalNode.prepare(local, runtime: runtime, authority: authority)
        return [channel, LocalNodeService(node: node, ports: ports, logger: runtime.logger)]
    }

    /// Names the self-signed certificate covers besides localhost: the listen address and the public URL's host.
    static func certificateHostNames(_ config: HostConfiguration) -> [String] {
        var names: [String] = []
        if !["0.0.0.0", "::", "127.0.0.1", "::1"].contains(config.listen.host) { names.append(config.listen.host) }
        if let publicURL = config.publicURL, let host = URLComponents(string: publicURL)?.host {
            names.append(host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")))
        }
        return names
    }
}
