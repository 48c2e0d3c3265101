import Foundation
import PluginAPI
import Synchronization
import Testing
import TestSupport

@testable import Host

/// A controller (`portolan serve`), one enrolled node (`portolan node run`, its OpenVPN in a network namespace of its
/// own) and real OpenVPN clients in a second namespace: the whole path of a VPN connection, on this machine.
final class NodeLab: @unchecked Sendable {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scripts/node-netns.sh").path
    static var canRun: Bool { Shell.isRoot && Shell.which("openvpn") != nil && Shell.which("ip") != nil && Shell.which("ping") != nil }
    static let skipReason: Comment = "needs root, openvpn, ip and ping (.ci/run installs them)"
    private static let counter = Atomic<Int>(0)

    let directory: String
    let id: String
    let subnet: Int
    let webPort: Int
    let channelPort: Int
    let nodePort: Int
    /// The node runs inside `portolan serve` (`node.enabled`) instead of `portolan node run`.
    let inProcessNode: Bool
    var controller: PortolanProcess?
    var node: PortolanProcess?
    private let clients = Mutex<[String: ChildProcess]>([:])
    /// OpenVPN processes the node daemon left running at shutdown (it must leave none).
    var leftovers: [String] = []

    var serverNS: String { "ptn-s-\(id)" }
    var clientNS: String { "ptn-c-\(id)" }
    var base: String { "https://127.0.0.1:\(webPort)" }
    var serverAddress: String { "10.198.\(subnet).1" }
    var nodeDirectory: String { "\(directory)/node" }

    /// Profiles `tunnel` (10.200.N.0/25 per process) and `other`, both on node `n1`.
    var yaml: String {
        """
        server:
          listen: 127.0.0.1:\(webPort)
        \(inProcessNode ? localNodeYAML : "nodes:\n  listen: 127.0.0.1:\(channelPort)")
        api:
          max_active_configurations: 100
        plugins:
          profiles:
            nodes:
              - id: n1
                host_name: \(serverAddress)
            profiles:
              - id: tunnel
                display_name: Tunnel
                default_gateway: false
                routes: [192.0.2.0/24]
                openvpn:
                  ipv4_range: 10.200.\(subnet).0/24
                  ipv6_range: fd99:\(subnet)::/64
                  udp_ports: [1194]
                  tcp_ports: [1194]
              - id: other
                display_name: Other
                default_gateway: false
                routes: [198.51.100.0/24]
                openvpn:
                  ipv4_range: 10.201.\(subnet).0/24
                  ipv6_range: fd98:\(subnet)::/64
                  udp_ports: [1195]
                  tcp_ports: []
        """
    }

    var localNodeYAML: String {
        """
        node:
          enabled: true
          id: n1
          runtime_directory: /tmp/ptn-\(id)
          state_directory: \(nodeDirectory)/state
          configuration_interval: PT2S
          openvpn:
            command: [ip, netns, exec, \(serverNS), openvpn]
        """
    }

    init(directory: String, inProcessNode: Bool = false) throws {
        self.directory = directory
        self.inProcessNode = inProcessNode
        let n = Self.counter.add(1, ordering: .relaxed).newValue
        id = "\(getpid() % 10_000)x\(n)"
        subnet = (Int(getpid()) * 7 + n) % 200 + 20
        var ports: [Int] = []
        for _ in 0..<3 { ports.append(try Self.freePort(excluding: ports)) }
        (webPort, channelPort, nodePort) = (ports[0], ports[1], ports[2])
        try yaml.write(toFile: "\(directory)/portolan.yaml", atomically: true, encoding: .utf8)
        let up = try Shell.run("/bin/bash", [Self.script, "up", id, "\(subnet)"])
        guard up.status == 0 else { throw ProcessFailure("netns setup failed: \(up.output)") }
    }

    /// Runs a `portolan` command against the controller's configuration.
    func cli(_ arguments: [String], stdin: String? = nil) async throws -> PortolanProcess.Output {
        try await PortolanProcess.run(arguments + ["--config", "\(directory)/portolan.yaml"], directory: directory, stdin: stdin)
    }

    func startController() async throws {
        let process = try PortolanProcess(["serve", "--config", "\(directory)/portolan.yaml"], directory: directory)
        _ = try await process.waitForLine(startingWith: "Node channel at ")
        controller = process
    }

    func stopController() async throws {
        controller?.signal(SIGTERM)
        _ = try await controller?.waitForExit(timeout: .seconds(20))
        controller = nil
    }

    /// `node add` + `node join`, then the node's file adjusted: OpenVPN in the server namespace, a short runtime
    /// folder, the node API on loopback.
    func enrol() async throws -> String {
        let added = try await cli(["node", "add", "n1"])
        guard added.status == 0, let token = added.stdout.split(separator: "\n").first(where: { $0.hasPrefix("pnj1.") }) else {
            throw ProcessFailure("node add failed: \(added.stderr)")
        }
        let joined = try await PortolanProcess.run(
            ["node", "join", "https://127.0.0.1:\(channelPort)", String(token), "--directory", nodeDirectory], directory: directory)
        guard joined.status == 0 else { throw ProcessFailure("node join failed: \(joined.stderr)") }
        var text = try String(contentsOfFile: "\(nodeDirectory)/node.yaml", encoding: .utf8)
        text = text.replacingOccurrences(of: "runtime_directory: /run/portolan-node", with: "runtime_directory: /tmp/ptn-\(id)")
            .replacingOccurrences(of: "command: [openvpn]", with: "command: [ip, netns, exec, \(serverNS), openvpn]")
            .replacingOccurrences(of: "# listen: \"[::]:41194\"", with: "listen: 127.0.0.1:\(nodePort) #")
            + "configuration_interval: PT2S\nreconcile_interval: PT3S\n"
        try text.write(toFile: "\(nodeDirectory)/node.yaml", atomically: true, encoding: .utf8)
        return String(token)
    }

    /// The release build scripts/test.sh makes for the node daemon (`PORTOLAN_NODE_BIN`), if any.
    static var releaseNodeBinary: String? {
        ProcessInfo.processInfo.environment["PORTOLAN_NODE_BIN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func startNode() async throws {
        let process = try PortolanProcess(
            ["node", "run", "--config", "\(nodeDirectory)/node.yaml"], directory: directory, executable: Self.releaseNodeBinary)
        node = process
        try await waitForProcesses()
    }

    /// Both OpenVPN processes of `tunnel` and the one of `other` are up when their logs say so.
    func waitForProcesses() async throws {
        try await eventually(timeout: .seconds(20), "the node's OpenVPN processes did not start: \(diagnostics())") {
            ["tunnel-0", "tunnel-1", "other-0"].allSatisfy { name in
                ((try? String(contentsOfFile: "\(self.nodeDirectory)/state/\(name).log", encoding: .utf8)) ?? "")
                    .contains("MANAGEMENT: Client connected")
            }
        }
    }

    /// The usual start: controller, user `alice`, node `n1` enrolled and running. - Returns: the (spent) join token.
    @discardableResult
    func startWithNode() async throws -> String {
        try await startController()
        let added = try await cli(["user", "add", "alice", "--password-stdin"], stdin: "a-long-password\n")
        guard added.status == 0 else { throw ProcessFailure("user add failed: \(added.stderr)") }
        let token = try await enrol()
        try await startNode()
        return token
    }

    /// Access tokens for `user`, issued straight into the store (as the consent page would) and exchanged over HTTPS.
    func accessTokens(_ count: Int, user: String = "alice") async throws -> [String] {
        let loaded = try LoadedConfiguration.load(
            path: "\(directory)/portolan.yaml", environment: [:], overrides: .init(dataDirectory: "\(directory)/portolan-data"),
            registrations: BuiltInPlugins.all)
        let codes = try await HostBoot.withRuntime(loaded, logger: .quiet) { runtime in
            let client = try #require(OAuthClientRegistry(configured: []).client(OAuthTestClient.clientID))
            var codes: [String] = []
            for _ in 0..<count {
                codes.append(try await ApplicationBuilder.tokenService(runtime).issueCode(
                    userID: user, client: client, redirectURI: OAuthTestClient.redirectURI,
                    codeChallenge: OAuthTestClient.challenge(OAuthTestClient.verifier), scope: "config"))
            }
            return codes
        }
        return try codes.map { code in
            let reply = try HTTPProbe.post("\(base)/oauth/token", form: [
                ("grant_type", "authorization_code"), ("code", code), ("redirect_uri", OAuthTestClient.redirectURI),
                ("client_id", OAuthTestClient.clientID), ("code_verifier", OAuthTestClient.verifier),
            ])
            let json = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            return try #require(json["access_token"] as? String, "\(reply.body)")
        }
    }

    /// `POST /api/v3/connect`: the `.ovpn` text.
    func configuration(_ token: String, profile: String = "tunnel") throws -> String {
        let reply = try HTTPProbe.post("\(base)/api/v3/connect", form: [("profile_id", profile)], headers: ["Authorization: Bearer \(token)"])
        guard reply.status == 200 else { throw ProcessFailure("connect answered \(reply.status): \(reply.body)") }
        return reply.body
    }

    func disconnect(_ token: String) throws -> Int {
        try HTTPProbe.post("\(base)/api/v3/disconnect", form: [], headers: ["Authorization: Bearer \(token)"]).status
    }

    /// Starts an OpenVPN client in the client namespace on `tun<device>`.
    func startClient(_ name: String, ovpn: String, device: Int) throws {
        let config = "\(directory)/\(name).ovpn"
        try ovpn.write(toFile: config, atomically: true, encoding: .utf8)
        try? FileManager.default.removeItem(atPath: clientLog(name))
        // A clean signal state (not Foundation's Process): SIGTERM must reach OpenVPN so it says goodbye.
        let process = try ChildProcess(
            executable: Shell.which("ip") ?? "/usr/sbin/ip",
            arguments: ["netns", "exec", clientNS, "openvpn", "--config", config, "--dev", "tun\(device)", "--log", clientLog(name)])
        clients.withLock { $0[name] = process }
    }

    func clientLog(_ name: String) -> String { "\(directory)/client-\(name).log" }
    func clientText(_ name: String) -> String { (try? String(contentsOfFile: clientLog(name), encoding: .utf8)) ?? "" }
    func isRunning(_ name: String) -> Bool { clients.withLock { $0[name]?.isRunning ?? false } }

    func waitUp(_ name: String, timeout: Duration = .seconds(15)) async throws {
        try await eventually(timeout: timeout, "client \(name) did not come up: \(clientText(name).suffix(1500))") {
            self.clientText(name).contains("Initialization Sequence Completed")
        }
    }

    func stopClient(_ name: String) async {
        guard let process = clients.withLock({ $0.removeValue(forKey: name) }) else { return }
        await process.terminate()
    }

    /// One ping through `tun<device>` to `address`.
    func ping(device: Int, _ address: String) throws -> Bool {
        try Shell.run("ip", ["netns", "exec", clientNS, "ping", "-c", "1", "-W", "2", "-I", "tun\(device)", address]).status == 0
    }

    /// The connection log (`portolan node log --json`).
    func log() async throws -> [ConnectionLog.Entry] {
        let output = try await cli(["node", "log", "--json", "--limit", "1000"])
        guard output.status == 0 else { throw ProcessFailure("node log failed: \(output.stderr)") }
        return try output.stdout.split(separator: "\n").map { try JSONDecoder().decode(ConnectionLog.Entry.self, from: Data($0.utf8)) }
    }

    /// The `<cert>` block's common name is not needed: a client's session is found by its tunnel address.
    func nodeList() async throws -> [NodeStatusReport] {
        let output = try await cli(["node", "list", "--json"])
        return try JSONDecoder().decode([NodeStatusReport].self, from: Data(output.stdout.utf8))
    }

    /// The node's log, journal and the server log's end, for failure messages.
    func diagnostics() -> String {
        let journal = (try? String(contentsOfFile: "\(nodeDirectory)/state/events.jsonl", encoding: .utf8)) ?? "(none)"
        let server = (try? String(contentsOfFile: "\(nodeDirectory)/state/tunnel-0.log", encoding: .utf8)) ?? ""
        return "controller: \((controller?.stdout ?? "").suffix(1500)) \((controller?.stderr ?? "").suffix(1500)) running=\(controller?.isRunning ?? false)\nnode stderr: \((node?.stderr ?? "").suffix(1500))\njournal: \(journal)\ntunnel-0: \(server.suffix(2500))"
    }

    func shutdown() async {
        let running = clients.withLock { state in defer { state.removeAll() }; return Array(state.values) }
        await withTaskGroup(of: Void.self) { group in
            for process in running { group.addTask { await process.terminate() } }
        }
        node?.signal(SIGTERM)
        _ = try? await node?.waitForExit(timeout: .seconds(15))
        controller?.signal(SIGTERM)
        _ = try? await controller?.waitForExit(timeout: .seconds(15))
        // Had the daemon failed to stop its OpenVPN processes, end them here (by the PIDs they wrote), and say so.
        let runtime = "/tmp/ptn-\(id)"
        for file in (try? FileManager.default.contentsOfDirectory(atPath: runtime)) ?? [] where file.hasSuffix(".pid") {
            if let pid = Int32((try? String(contentsOfFile: "\(runtime)/\(file)", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""),
                kill(pid, 0) == 0
            {
                leftovers.append(file)
                kill(pid, SIGKILL)
            }
        }
        _ = try? Shell.run("/bin/bash", [Self.script, "down", id])
        try? FileManager.default.removeItem(atPath: "/tmp/ptn-\(id)")
    }

    /// VmRSS of a process, in bytes.
    static func residentMemory(of pid: Int32) -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return nil }
        return kib * 1024
    }

    /// Private (unshared) resident memory of a process, in bytes: its own heap, stacks and written pages.
    static func privateMemory(of pid: Int32) -> Int {
        guard let rollup = try? String(contentsOfFile: "/proc/\(pid)/smaps_rollup", encoding: .utf8) else { return 0 }
        return rollup.split(separator: "\n").filter { $0.hasPrefix("Private_") }
            .compactMap { $0.split(separator: " ").dropFirst().first.flatMap { Int($0) } }.reduce(0, +) * 1024
    }

    static func freePort(excluding: [Int]) throws -> Int {
        for _ in 0..<50 {
            let port = Int.random(in: 20_000...45_000)
            if excluding.contains(port) { continue }
            let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            defer { close(fd) }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            if bound == 0 { return port }
        }
        throw ProcessFailure("no free port")
    }

    /// Runs a lab in a temporary folder and always tears it down.
    static func with(inProcessNode: Bool = false, _ body: (NodeLab) async throws -> Void) async throws {
        try await withTemporaryDirectory { directory in
            let lab = try NodeLab(directory: directory, inProcessNode: inProcessNode)
            do {
                try await body(lab)
            } catch {
                await lab.shutdown()
                throw error
            }
            await lab.shutdown()
            #expect(lab.leftovers.isEmpty, "the node daemon left OpenVPN processes running: \(lab.leftovers)")
        }
    }
}

/// Polls `condition` every 100 ms until it holds; fails with `message` after `timeout`.
func eventually(timeout: Duration, _ message: @autoclosure () -> String, _ condition: () async throws -> Bool) async throws {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return }
        try await Task.sleep(for: .milliseconds(100))
    }
    throw ProcessFailure(message())
}
