import Foundation
import NIOCore
import PluginAPI
import Testing
import TestSupport

@testable import Host

/// Acceptance of the node daemon: real `portolan serve`, `portolan node join` / `node run`, OpenVPN 2.6 servers run by
/// the daemon in one network namespace, OpenVPN clients in another.
@Suite("Node daemon with real OpenVPN", .serialized, .enabled(if: NodeLab.canRun, NodeLab.skipReason))
struct NodeDaemonTests {
    /// Acceptance 1–3 and the join-token half of 8.
    @Test func enrolsConnectsLogsAndDisconnects() async throws {
        try await NodeLab.with { lab in
            try await lab.startController()
            #expect(try await lab.cli(["user", "add", "alice", "--password-stdin"], stdin: "a-long-password\n").status == 0)
            let token = try await lab.enrol()

            // A spent token, a forged one and garbage are refused with a message saying what to do.
            let again = try await PortolanProcess.run(
                ["node", "join", "https://127.0.0.1:\(lab.channelPort)", token, "--directory", "\(lab.directory)/again"], directory: lab.directory)
            #expect(again.status != 0 && again.stderr.contains("already used"), "\(again.stderr)")
            let parts = token.split(separator: ".")
            let forged = "pnj1.n1.\(String(repeating: "A", count: 43)).\(parts[3])"
            let wrong = try await PortolanProcess.run(
                ["node", "join", "https://127.0.0.1:\(lab.channelPort)", forged, "--directory", "\(lab.directory)/wrong"], directory: lab.directory)
            #expect(wrong.status != 0 && wrong.stderr.contains("unknown, expired or already used"), "\(wrong.stderr)")
            let garbage = try await PortolanProcess.run(
                ["node", "join", "https://127.0.0.1:\(lab.channelPort)", "hello", "--directory", "\(lab.directory)/garbage"], directory: lab.directory)
            #expect(garbage.status == 64 && garbage.stderr.contains("not a join token"), "\(garbage.stderr)")

            try await lab.startNode()
            try await eventually(timeout: .seconds(10), "node n1 is not listed online") {
                try await lab.nodeList().first { $0.id == "n1" }?.status == "online"
            }

            let access = try #require(try await lab.accessTokens(1).first)
            let ovpn = try lab.configuration(access)
            #expect(ovpn.contains("remote \(lab.serverAddress) 1194 udp"))
            try lab.startClient("a", ovpn: ovpn, device: 1)
            try await lab.waitUp("a")
            #expect(try lab.ping(device: 1, "10.200.\(lab.subnet).1"), "ping through the tunnel")
            try await eventually(timeout: .seconds(10), "no open log row") {
                let log = try await lab.log()
                return !log.isEmpty && log[0].disconnectedAt == nil
            }
            let row = try #require(try await lab.log().first)
            #expect(row.userID == "alice" && row.profileID == "tunnel" && row.nodeID == "n1")
            #expect(row.ipv4?.hasPrefix("10.200.\(lab.subnet).") == true && row.ipv6?.hasPrefix("fd99:\(lab.subnet)::") == true, "\(row)")
            #expect(row.originatingAddress == "10.198.\(lab.subnet).2", "\(row)")
            try await eventually(timeout: .seconds(12), "node list shows no connection") {
                try await lab.nodeList().first?.connections == 1
            }

            // /disconnect: the client is told to halt and exits within 2 s; the log row is closed with bytes.
            let start = ContinuousClock.now
            #expect(try lab.disconnect(access) == 204)
            try await eventually(timeout: .seconds(2), "the client still runs 2 s after /disconnect") { !lab.isRunning("a") }
            let elapsed = ContinuousClock.now - start
            print("node-test: /disconnect ended the tunnel in \(elapsed)")
            #expect(lab.clientText("a").contains("HALT") || lab.clientText("a").contains("Halt"), "the client was told to halt")
            try await eventually(timeout: .seconds(12), "the log row was not closed") { try await lab.log().first?.disconnectedAt != nil }
            let closed = try #require(try await lab.log().first)
            #expect((closed.bytesIn ?? 0) > 0 && (closed.bytesOut ?? 0) > 0, "\(closed)")
            #expect(try await lab.log().count == 1)
        }
    }

    /// Acceptance 4.
    @Test func disablingTheUserEndsTheTunnelAndRefusesReconnects() async throws {
        try await NodeLab.with { lab in
            try await lab.startController()
            #expect(try await lab.cli(["user", "add", "alice", "--password-stdin"], stdin: "a-long-password\n").status == 0)
            _ = try await lab.enrol()
            try await lab.startNode()
            let ovpn = try lab.configuration(try #require(try await lab.accessTokens(1).first))
            try lab.startClient("a", ovpn: ovpn, device: 1)
            try await lab.waitUp("a")
            #expect(try lab.ping(device: 1, "10.200.\(lab.subnet).1"))

            let start = ContinuousClock.now
            #expect(try await lab.cli(["user", "disable", "alice"]).status == 0)
            try await eventually(timeout: .seconds(2), "the tunnel outlived the user by 2 s") { !lab.isRunning("a") }
            print("node-test: disabling the user ended the tunnel in \(ContinuousClock.now - start)")

            try lab.startClient("again", ovpn: ovpn, device: 2)
            try await eventually(timeout: .seconds(10), "the reconnect was not refused") { lab.clientText("again").contains("AUTH_FAILED") }
            #expect(!lab.clientText("again").contains("Initialization Sequence Completed"))
        }
    }

    /// Acceptance 5.
    @Test func certificatesOfAnotherProfileOrExpiredAreRefused() async throws {
        try await NodeLab.with { lab in
            try await lab.startController()
            #expect(try await lab.cli(["user", "add", "alice", "--password-stdin"], stdin: "a-long-password\n").status == 0)
            _ = try await lab.enrol()
            try await lab.startNode()
            let tokens = try await lab.accessTokens(2)
            let tunnel = try lab.configuration(tokens[0])
            let other = try lab.configuration(tokens[1], profile: "other")
            // The other profile's certificate and key, in an otherwise valid configuration of `tunnel`.
            func block(_ name: String, _ text: String) throws -> String {
                let start = try #require(text.range(of: "<\(name)>")), end = try #require(text.range(of: "</\(name)>"))
                return String(text[start.lowerBound..<end.upperBound])
            }
            let spliced = try tunnel.replacingOccurrences(of: try block("cert", tunnel), with: try block("cert", other))
                .replacingOccurrences(of: try block("key", tunnel), with: try block("key", other))
            try lab.startClient("cross", ovpn: spliced, device: 1)
            try await eventually(timeout: .seconds(10), "a certificate of another profile was not refused") {
                lab.clientText("cross").contains("AUTH_FAILED")
            }

            // A certificate from the real CA, in the ledger, that expired a moment ago.
            let loaded = try LoadedConfiguration.load(
                path: "\(lab.directory)/portolan.yaml", environment: [:],
                overrides: .init(dataDirectory: "\(lab.directory)/portolan-data"), registrations: BuiltInPlugins.all)
            let expiring = try await HostBoot.withRuntime(loaded, logger: .quiet) { runtime in
                let backend = try #require(runtime.registry.nodeBackends.first)
                let profile = try #require(try await runtime.registry.profileProviders[0].profiles(context: .init(logger: .quiet)).first { $0.id == "tunnel" })
                let now = runtime.clock.secondsSince1970
                let issued = try await backend.clientConfiguration(
                    for: ClientConfigurationRequest(profile: profile, userID: "alice", expiresAt: now + 2, nodeID: "n1"), context: .init(logger: .quiet))
                try await ConfigurationLedger(store: runtime.store).record(
                    .init(credentialID: issued.credentialID, protocolName: "openvpn", userID: "alice", profileID: "tunnel", nodeID: "n1",
                        authorizationKey: nil, createdAt: now, expiresAt: issued.expiresAt),
                    maxActive: 100)
                return issued.body
            }
            try await Task.sleep(for: .seconds(3))
            try lab.startClient("expired", ovpn: expiring, device: 2)
            try await Task.sleep(for: .seconds(6))
            #expect(!lab.clientText("expired").contains("Initialization Sequence Completed"), "an expired certificate got a tunnel")
            let serverLog = (try? String(contentsOfFile: "\(lab.nodeDirectory)/state/tunnel-0.log", encoding: .utf8)) ?? ""
            #expect(serverLog.contains("certificate has expired") || serverLog.contains("VERIFY ERROR"), "\(serverLog.suffix(2000))")

            // Control: the valid configuration of `tunnel` connects.
            try lab.startClient("valid", ovpn: tunnel, device: 3)
            try await lab.waitUp("valid")
        }
    }
}
