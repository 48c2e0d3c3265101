import ArgumentParser
import Foundation
import PluginAPI

/// `portolan node ...`: enrol, list and remove nodes (on the controller), join and run a node (on the node).
struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Manage VPN nodes, or run this machine as one.",
        subcommands: [Add.self, List.self, Remove.self, Log.self, NodeJoinCommand.self, NodeRunCommand.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Register a node and print its one-time join token (again for a known node: a new token).")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The node id the profiles name (lower-case letters, digits and -).") var id: String

        func run() async throws {
            try await CommandFailure.reporting {
                guard NodeID.isValid(id) else {
                    throw CLIError(message: "'\(id)' is not a node id: use 1 to 63 lower-case letters, digits and - (not first)")
                }
                try await options.withRuntime { runtime in
                    let authority = try await NodeAuthority.load(secrets: runtime.secrets, clock: runtime.clock)
                    let token = JoinToken.generate(nodeID: id, caFingerprint: authority.fingerprint)
                    let validity = runtime.configuration.nodes.joinTokenValidity
                    let result = try await NodeRegistry(store: runtime.store, clock: runtime.clock)
                        .add(id, tokenHash: token.secretHash, expiresAt: runtime.clock.secondsSince1970 + validity)
                    let served = try await runtime.registry.profileProviders.asyncFlatMap {
                        try await $0.profiles(context: AuthCallContext(logger: runtime.logger))
                    }.filter { $0.node(id) != nil }.map(\.id)
                    Console.out(result == .added ? "Node '\(id)' registered." : "Node '\(id)' exists: a new join token replaces the old one.")
                    if served.isEmpty { Console.out("Note: no profile lists node '\(id)' yet (plugins.profiles).") }
                    Console.out("Join token (valid \(validity / 60) minutes, once):")
                    Console.out(token.text)
                    let url = runtime.configuration.nodes.listen.map { "https://\($0.host == "0.0.0.0" || $0.host == "::" ? "CONTROLLER" : $0.host):\($0.port)" }
                        ?? "https://CONTROLLER:PORT (set nodes.listen)"
                    Console.out("On the node: portolan node join \(url) \(token.text)")
                }
            }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List nodes with status, load and connections.")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "JSON, as the admin endpoint serves it.") var json = false

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { runtime in
                    let nodes = try await NodeStatusReport.make(runtime)
                    if json {
                        Console.out(String(decoding: try NodeStatusReport.encoder.encode(nodes), as: UTF8.self))
                        return
                    }
                    Console.out(["NODE", "STATUS", "CONNECTIONS", "LOAD%", "CPUS", "LAST SEEN"].joined(separator: "\t"))
                    for node in nodes {
                        Console.out([node.id, node.status, "\(node.connections)", "\(node.loadPercent)", "\(node.cpuCount)",
                            node.lastSeenAt.map { "\(runtime.clock.secondsSince1970 - $0) s ago" } ?? "never"].joined(separator: "\t"))
                    }
                }
            }
        }
    }

    struct Remove: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a node: its certificate is refused from now on.")

        @OptionGroup var options: GlobalOptions
        @Argument(help: "The node id.") var id: String

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { runtime in
                    guard try await NodeRegistry(store: runtime.store, clock: runtime.clock).remove(id) else {
                        throw CLIError(message: "no node '\(id)' (see: portolan node list)")
                    }
                    Console.out("Node '\(id)' removed.")
                }
            }
        }
    }

    struct Log: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the connection log, newest first.")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "JSON lines.") var json = false
        @Flag(help: "Only connected clients.") var open = false
        @Option(help: "At most this many sessions (1...10000).") var limit = 50

        func run() async throws {
            try await CommandFailure.reporting {
                guard (1...10_000).contains(limit) else { throw CLIError(message: "--limit must be 1...10000") }
                try await options.withRuntime { runtime in
                    let entries = try await ConnectionLog(store: runtime.store).list(limit: limit, openOnly: open)
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
                    for entry in entries {
                        if json {
                            Console.out(String(decoding: try encoder.encode(entry), as: UTF8.self))
                        } else {
                            Console.out([entry.userID ?? "-", entry.profileID, entry.nodeID, entry.ipv4 ?? "-", entry.ipv6 ?? "-",
                                entry.originatingAddress ?? "-", "\(entry.connectedAt)", entry.disconnectedAt.map { "\($0)" } ?? "connected",
                                "in=\(entry.bytesIn.map { "\($0)" } ?? "-")", "out=\(entry.bytesOut.map { "\($0)" } ?? "-")"].joined(separator: "\t"))
                        }
                    }
                }
            }
        }
    }
}
