import ArgumentParser
import PluginAPI

/// `portolan profile list`: the profiles every replica serves, with their address plan and capacity.
struct ProfileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profile", abstract: "Inspect VPN profiles.", subcommands: [List.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List profiles with their nodes and client capacity; --plan adds every OpenVPN process.")

        @OptionGroup var options: GlobalOptions
        @Flag(help: "Show each OpenVPN process: node, transport, port, IPv4 and IPv6 subnet, max clients.")
        var plan = false

        func run() async throws {
            try await CommandFailure.reporting {
                try await options.withRuntime { runtime in
                    for provider in runtime.registry.profileProviders {
                        for profile in try await provider.profiles(context: AuthCallContext(logger: runtime.logger)) {
                            for line in try ProfileSummary.lines(profile, plan: plan) { Console.out(line) }
                        }
                    }
                }
            }
        }
    }
}

/// The text `portolan profile list` prints for one profile.
enum ProfileSummary {
    static func lines(_ profile: VPNProfile, plan showPlan: Bool) throws -> [String] {
        let access = profile.requiredPermissions.map { $0.isEmpty ? "nobody" : $0.joined(separator: "|") } ?? "everyone"
        var header = [profile.id, profile.displayName, "nodes=\(profile.nodes.map(\.id).joined(separator: ","))", "access=\(access)"]
        guard let settings = profile.openVPN else { return [header.joined(separator: "\t")] }
        let plan = try AddressPlan(profileID: profile.id, settings: settings, nodeIDs: profile.nodes.map(\.id))
        let perProcess = plan.processes.first?.maxClients ?? 0
        header.append("openvpn=\(settings.processCount) processes/node, \(perProcess) clients/process, \(plan.maxClients) clients")
        var lines = [header.joined(separator: "\t")]
        if showPlan {
            lines += plan.processes.map {
                "  \($0.nodeID)\t\(profile.id)-\($0.index)\t\($0.transport)/\($0.port)\t\($0.ipv4)\t\($0.ipv6)\tmax-clients \($0.maxClients)"
            }
        }
        return lines
    }
}
