import ArgumentParser
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// `portolan node run --config node.yaml`: the node daemon, until SIGTERM or SIGINT (then its OpenVPN processes stop).
struct NodeRunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "run", abstract: "Run the node daemon.")

    @Option(help: "The node's configuration, written by `portolan node join`.") var config = "/etc/portolan-node/node.yaml"
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.") var logLevel = "info"

    func run() async throws {
        try await CommandFailure.reporting {
            let configuration = try NodeDaemonConfiguration.load(path: config)
            guard let level = Logger.Level(rawValue: logLevel) else { throw CLIError(message: "--log-level: unknown level '\(logLevel)'") }
            var logger = LoggingSetup.bootstrap(level: level, format: .text)
            logger[metadataKey: "node.id"] = "\(configuration.nodeID)"
            func read(_ path: String) throws -> String {
                guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
                    throw CLIError(message: "cannot read \(path) (run `portolan node join` first)")
                }
                return text
            }
            let identity = ControllerLink.Identity(
                certificatePEM: try read(configuration.certificateFile), keyPEM: try read(configuration.keyFile),
                caPEM: try read(configuration.caFile))
            let link = try ControllerLink(
                controllerURL: configuration.controllerURL, identity: identity,
                files: (configuration.certificateFile, configuration.keyFile, configuration.caFile))
            let daemon = try NodeDaemon(nodeID: configuration.nodeID, settings: configuration.settings, link: link, logger: logger)
            var services: [any Service] = [NodeDaemonService(daemon: daemon)]
            if let listen = configuration.settings.listen {
                services.append(try NodeStatusServer.application(daemon: daemon, identity: identity, listen: listen, logger: logger))
            }
            Console.out("Portolan node '\(configuration.nodeID)' → \(configuration.controllerURL)")
            let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
        }
    }
}

/// Runs a ``NodeDaemon`` until graceful shutdown.
struct NodeDaemonService: Service {
    let daemon: NodeDaemon
    func run() async throws {
        await cancelWhenGracefulShutdown { await daemon.run() }
    }
}
