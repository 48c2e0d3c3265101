import Foundation
import NIOCore
import Logging
import PluginAPI
import Synchronization

/// The node daemon: fetches the node's server configurations, runs one OpenVPN process per listen port, approves
/// each client over the management interface (asking the controller, or deciding locally when it is unreachable),
/// journals connect and disconnect events until the controller has logged them, disconnects revoked clients within
/// a second of the revocation, reconciles its clients with the controller, heartbeats its health and renews its
/// certificate.
final class NodeDaemon: Sendable {
    let nodeID: String
    let settings: NodeDaemonSettings
    let link: ControllerLink
    let journal: EventJournal
    let revocations: LocalRevocations
    let sessions = SessionTable()
    let logger: Logger
    private let deliverySignal = ChangeSignal()
    private let reconnected = ChangeSignal()
    private let reachable = Mutex<Bool?>(nil)
    /// The running processes, each with the handle that stops it.
    private let processes = Mutex<[String: (spec: NodeWire.Process, handle: StopHandle)]>([:])
    /// Processes to start, run as children of ``run()``'s task group.
    private let starts = AsyncStream.makeStream(of: (spec: NodeWire.Process, handle: StopHandle).self)

    /// Asks one process's child task to stop, and tells when it has.
    final class StopHandle: Sendable {
        let stop = ChangeSignal()
        let stopped = ProcessExit()
    }

    init(nodeID: String, settings: NodeDaemonSettings, link: ControllerLink, logger: Logger) throws {
        self.nodeID = nodeID
        self.settings = settings
        self.link = link
        self.logger = logger
        for directory in [settings.stateDirectory, settings.runtimeDirectory] {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o750])
        }
        journal = try EventJournal(directory: settings.stateDirectory)
        revocations = LocalRevocations(directory: settings.stateDirectory)
    }

    /// Whether the controller answered the last call (`nil` before the first).
    var controllerReachable: Bool? { reachable.withLock { $0 } }

    var processNames: [String] { processes.withLock { Array($0.keys).sorted() } }

    func run() async {
        OpenVPNProcess.endLeftovers(in: settings.runtimeDirectory, logger: logger)
        await withDiscardingTaskGroup { group in
            group.addTask { await self.configurationLoop() }
            group.addTask { await self.heartbeatLoop() }
            group.addTask { await self.revocationLoop() }
            group.addTask { await self.deliveryLoop() }
            group.addTask { await self.reconcileLoop() }
            group.addTask { await self.renewalLoop() }
            // Each OpenVPN process is a child too: cancelling the daemon stops them all, and the group waits for them.
            for await start in starts.stream {
                group.addTask { await self.runProcess(start.spec, handle: start.handle) }
            }
        }
        logger.info("node daemon stopped")
    }

    /// Supervises one process until its handle says stop (or the daemon is cancelled), then stops it.
    private func runProcess(_ spec: NodeWire.Process, handle: StopHandle) async {
        let process = OpenVPNProcess(
            spec: spec, command: settings.openVPNCommand, runtimeDirectory: settings.runtimeDirectory,
            logFile: "\(settings.stateDirectory)/\(spec.name).log", logger: logger)
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await process.supervise { connection in await self.manage(connection, spec: spec) } }
            group.addTask { await handle.stop.wait(after: 0, timeout: .seconds(100 * 365 * 86_400)) }
            await group.next()
            group.cancelAll()
        }
        handle.stopped.markExited()
    }

    // MARK: controller reachability

    private func markReachable(_ value: Bool) {
        let previous = reachable.withLock { state -> Bool? in
            defer { state = value }
            return state
        }
        if previous != value {
            if value {
                logger.info("controller reachable", metadata: ["node.id": "\(nodeID)"])
                reconnected.fire()
            } else {
                logger.warning(
                    "controller unreachable: existing tunnels continue; new clients are \(settings.allowOffline ? "checked locally" : "refused")",
                    metadata: ["node.id": "\(nodeID)"])
            }
        }
    }

    /// Runs a controller call, tracking reachability (a transport failure or a 5xx means unreachable).
    private func call<Answer: Sendable>(_ body: (ChannelHTTPClient) async throws -> Answer) async throws -> Answer {
        do {
            let answer = try await body(link.client)
            markReachable(true)
            return answer
        } catch let error as HTTPStatusError where error.status < 500 {
            markReachable(true)
            throw error
        } catch {
            markReachable(false)
            throw error
        }
    }

    // MARK: configuration and processes

    private var cachePath: String { "\(settings.stateDirectory)/configuration.json" }

    private func fetchConfiguration() async throws -> NodeWire.ConfigurationResponse {
        let drop = settings.dropPrivilegesTo
        return try await call { client in
            try await client.json(
                "POST", "/node/v1/configuration",
                NodeWire.ConfigurationRequest(runtimeDirectory: settings.runtimeDirectory, user: drop?.user, group: drop?.group),
                as: NodeWire.ConfigurationResponse.self, timeout: .seconds(15))
        }
    }

    private func configurationLoop() async {
        var applied: NodeWire.ConfigurationResponse?
        while !Task.isCancelled {
            do {
                let fetched = try await fetchConfiguration()
                if fetched != applied {
                    if let data = try? JSONEncoder().encode(fetched) {
                        FileManager.default.createFile(atPath: cachePath, contents: data, attributes: [.posixPermissions: 0o600])
                    }
                    await apply(fetched)
                    applied = fetched
                }
            } catch {
                if applied == nil, let data = FileManager.default.contents(atPath: cachePath),
                    let cached = try? JSONDecoder().decode(NodeWire.ConfigurationResponse.self, from: data)
                {
                    logger.warning("controller unreachable at start: running the last configuration", metadata: ["error": "\(error)"])
                    await apply(cached)
                    applied = cached
                } else {
                    logger.warning("cannot fetch the configuration", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: applied == nil ? .seconds(2) : .seconds(settings.configurationInterval))
        }
    }

    /// Starts, restarts (changed) and stops processes; processes whose configuration is unchanged keep running. A
    /// changed process is stopped and gone before its successor starts (they share the port and the socket).
    func apply(_ configuration: NodeWire.ConfigurationResponse) async {
        let wanted = Dictionary(configuration.processes.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let stopping = processes.withLock { running -> [StopHandle] in
            var stopping: [StopHandle] = []
            for (name, entry) in running where wanted[name] != entry.spec {
                entry.handle.stop.fire()
                stopping.append(entry.handle)
                running[name] = nil
                logger.info("stopping OpenVPN process", metadata: ["process": "\(name)"])
            }
            return stopping
        }
        for handle in stopping { await handle.stopped.wait() }
        processes.withLock { running in
            for (name, spec) in wanted where running[name] == nil {
                let handle = StopHandle()
                running[name] = (spec, handle)
                starts.continuation.yield((spec, handle))
            }
        }
    }

    // MARK: the management interface

    private func manage(_ connection: ManagementConnection, spec: NodeWire.Process) async {
        sessions.attach(spec.name, connection)
        var parser = ManagementMessage.Parser()
        await withDiscardingTaskGroup { group in
            for await line in connection.lines {
                switch parser.feed(line) {
                case .message(let message):
                    switch message.kind {
                    case .connect, .reauth:
                        group.addTask { await self.answer(message, spec: spec, connection: connection) }
                    case .established:
                        established(message, spec: spec)
                    case .disconnect:
                        disconnected(message, spec: spec)
                    }
                case .other(let text) where text.hasPrefix("ERROR:"):
                    logger.warning("OpenVPN management error", metadata: ["process": "\(spec.name)", "reply": "\(text)"])
                default:
                    break
                }
            }
        }
        // The process ended: its clients are gone.
        for session in sessions.detach(spec.name) {
            record(NodeEvent(
                kind: .disconnect, session: session.session, profileID: session.profileID, commonName: session.commonName,
                userID: session.userID, at: Self.now))
        }
    }

    /// Answers one CONNECT or REAUTH, exactly once.
    private func answer(_ message: ManagementMessage, spec: NodeWire.Process, connection: ManagementConnection) async {
        guard let keyID = message.keyID else { return }
        let verdict = await decide(message, profileID: spec.profileID)
        if verdict.allow {
            if message.kind == .connect {
                let env = message.environment
                sessions.admit(spec.name, message.clientID, SessionTable.Session(
                    session: Self.sessionID(), commonName: env["common_name"] ?? "", profileID: spec.profileID,
                    userID: verdict.userID, originatingAddress: env["untrusted_ip"] ?? env["untrusted_ip6"], established: false,
                    since: Self.now))
            }
            connection.send("client-auth-nt \(message.clientID) \(keyID)")
        } else {
            logger.info("refused a VPN client", metadata: [
                "process": "\(spec.name)", "reason": "\(verdict.reason)", "common_name": "\(message.environment["common_name"] ?? "-")",
            ])
            connection.send("client-deny \(message.clientID) \(keyID) \"\(verdict.reason)\" \"access refused\"")
        }
    }

    struct Verdict: Sendable {
        var allow: Bool
        var reason: String
        var userID: String?
    }

    /// The controller decides; when it cannot be reached, the certificate (already verified by OpenVPN: signature,
    /// expiry), its profile and the local revocation list decide, as `offline_policy` says.
    func decide(_ message: ManagementMessage, profileID: String) async -> Verdict {
        let env = message.environment
        guard let commonName = env["common_name"], !commonName.isEmpty, commonName.utf8.count <= 128 else {
            return Verdict(allow: false, reason: "no common name")
        }
        if let unit = env["X509_0_OU"], unit != profileID {
            return Verdict(allow: false, reason: "certificate for another profile")
        }
        if revocations.isRevoked(commonName) { return Verdict(allow: false, reason: "revoked certificate") }
        do {
            let answer = try await call { client in
                try await client.json(
                    "POST", "/node/v1/authorize", NodeWire.AuthorizeRequest(profileID: profileID, commonName: commonName),
                    as: NodeWire.AuthorizeResponse.self, timeout: .seconds(2))
            }
            return Verdict(allow: answer.allow, reason: (answer.reason ?? "refused").replacingOccurrences(of: "\"", with: "'"), userID: answer.userID)
        } catch let error as HTTPStatusError where error.status < 500 {
            return Verdict(allow: false, reason: "the controller refused the question (\(error.status))")
        } catch {
            guard settings.allowOffline else { return Verdict(allow: false, reason: "controller unreachable (offline_policy refuse)") }
            guard env["X509_0_OU"] == profileID else { return Verdict(allow: false, reason: "controller unreachable; certificate names no profile") }
            return Verdict(allow: true, reason: "controller unreachable; certificate valid and not revoked")
        }
    }

    private func established(_ message: ManagementMessage, spec: NodeWire.Process) {
        let env = message.environment
        guard let session = sessions.establish(spec.name, message.clientID, update: { session in
            session.ipv4 = Self.address(env["ifconfig_pool_remote_ip"])
            session.ipv6 = Self.address(env["ifconfig_pool_remote_ip6"])
            session.originatingAddress = Self.address(env["trusted_ip"] ?? env["trusted_ip6"] ?? session.originatingAddress)
        }) else { return }
        record(NodeEvent(
            kind: .connect, session: session.session, profileID: session.profileID, commonName: session.commonName,
            userID: session.userID, ipv4: session.ipv4, ipv6: session.ipv6, originatingAddress: session.originatingAddress,
            at: Self.now))
    }

    private func disconnected(_ message: ManagementMessage, spec: NodeWire.Process) {
        guard let session = sessions.remove(spec.name, message.clientID), session.established else { return }
        let env = message.environment
        record(NodeEvent(
            kind: .disconnect, session: session.session, profileID: session.profileID, commonName: session.commonName,
            userID: session.userID, at: Self.now, bytesIn: env["bytes_received"].flatMap { Int64($0) },
            bytesOut: env["bytes_sent"].flatMap { Int64($0) }))
    }

    private func record(_ event: NodeEvent) {
        guard event.problem == nil else {
            logger.error("dropped a malformed event", metadata: ["problem": "\(event.problem ?? "")"])
            return
        }
        do {
            try journal.append(event)
        } catch {
            logger.error("cannot journal an event", metadata: ["error": "\(error)"])
        }
        deliverySignal.fire()
    }

    // MARK: loops

    private func heartbeatLoop() async {
        while !Task.isCancelled {
            let health = NodeHealthProbe.sample(connections: sessions.count)
            _ = try? await call { client in try HTTPStatusError.check(try await client.send(
                "POST", "/node/v1/heartbeat", body: Array(try JSONEncoder().encode(health)), timeout: .seconds(4))) }
            try? await Task.sleep(for: .seconds(5))
        }
    }

    private func revocationLoop() async {
        while !Task.isCancelled {
            do {
                let cursor = revocations.cursor
                let list = try await call { client in
                    try await client.json(
                        "GET", "/node/v1/revocations?after=\(cursor)&wait=\(cursor == 0 ? 0 : 25)", Optional<NodeWire.ErrorBody>.none,
                        as: NodeWire.RevocationList.self, timeout: .seconds(35))
                }
                let added = revocations.merge(list, now: Self.now)
                if !added.isEmpty {
                    let count = sessions.disconnect(Set(added))
                    if count > 0 { logger.info("disconnected revoked clients", metadata: ["count": "\(count)"]) }
                }
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func deliveryLoop() async {
        while !Task.isCancelled {
            let generation = deliverySignal.generation
            let batch = journal.batch()
            if batch.isEmpty {
                await deliverySignal.wait(after: generation, timeout: .seconds(5))
                continue
            }
            do {
                let receipt = try await call { client in
                    try await client.json("POST", "/node/v1/events", NodeWire.EventBatch(events: batch), as: NodeWire.EventReceipt.self)
                }
                try journal.acknowledge(min(receipt.recorded, batch.count))
            } catch {
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    /// Every `reconcile_interval`, and at once when the controller comes back: disconnect clients the controller no
    /// longer knows (drift the revocation list cannot show, such as a store restored from a backup).
    private func reconcileLoop() async {
        while !Task.isCancelled {
            let generation = reconnected.generation
            await reconnected.wait(after: generation, timeout: .seconds(settings.reconcileInterval))
            let names = sessions.commonNames
            guard !names.isEmpty, !Task.isCancelled else { continue }
            do {
                let answer = try await call { client in
                    try await client.json(
                        "POST", "/node/v1/reconcile", NodeWire.ReconcileRequest(commonNames: names), as: NodeWire.ReconcileResponse.self,
                        timeout: .seconds(15))
                }
                if !answer.invalid.isEmpty {
                    let count = sessions.disconnect(Set(answer.invalid))
                    logger.info("reconciliation disconnected clients", metadata: ["count": "\(count)"])
                }
            } catch {
                continue
            }
        }
    }

    private func renewalLoop() async {
        while !Task.isCancelled {
            if link.needsRenewal(now: Self.now) {
                do {
                    try await call { _ in try await link.renew() }
                    logger.info("node certificate renewed", metadata: ["not_after": "\(link.validity?.notAfter ?? 0)"])
                } catch {
                    logger.warning("cannot renew the node certificate yet", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(60))
        }
    }

    // MARK: helpers

    static var now: Int64 { Int64(Date().timeIntervalSince1970) }

    static func sessionID() -> String { randomBytes(16).map { String(format: "%02x", $0) }.joined() }

    /// An address OpenVPN reported, if it is one (IPv4-mapped IPv6 becomes IPv4).
    static func address(_ text: String?) -> String? {
        guard var text, !text.isEmpty else { return nil }
        if text.hasPrefix("::ffff:"), text.contains(".") { text = String(text.dropFirst(7)) }
        return IPNetwork.parseAddress(text) != nil ? text : nil
    }
}
