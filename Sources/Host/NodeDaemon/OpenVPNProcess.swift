import OneShotHTTP
import Foundation
import Logging

/// Runs one OpenVPN server process and keeps it running: writes its configuration (mode 0600), starts it, hands
/// its management connection to `handler`, restarts it with back-off (1 s doubling to 30 s) when it dies, and on
/// cancellation stops it (SIGTERM, SIGKILL after 4 s) and waits for it to be gone. Started with a clean signal
/// state (``ChildProcess``), so SIGTERM reaches OpenVPN and it tells its clients it is leaving.
struct OpenVPNProcess: Sendable {
    let spec: NodeWire.Process
    let command: [String]
    let runtimeDirectory: String
    let logFile: String
    let logger: Logger

    var configPath: String { "\(runtimeDirectory)/\(spec.name).conf" }
    var pidPath: String { "\(runtimeDirectory)/\(spec.name).pid" }

    func supervise(handler: @escaping @Sendable (ManagementConnection) async -> Void) async {
        var backoff = Duration.seconds(1)
        while !Task.isCancelled {
            let started = ContinuousClock.now
            do {
                try await runOnce(handler: handler)
            } catch {
                logger.error("OpenVPN process failed", metadata: ["process": "\(spec.name)", "error": "\(error)"])
            }
            if Task.isCancelled { break }
            if ContinuousClock.now - started > .seconds(60) { backoff = .seconds(1) }
            logger.warning("OpenVPN process exited; restarting", metadata: ["process": "\(spec.name)", "in": "\(backoff)"])
            try? await Task.sleep(for: backoff)
            backoff = min(backoff * 2, .seconds(30))
        }
    }

    private func runOnce(handler: @escaping @Sendable (ManagementConnection) async -> Void) async throws {
        let fm = FileManager.default
        try? fm.removeItem(atPath: spec.managementSocket)
        guard fm.createFile(atPath: configPath, contents: Data(spec.body.utf8), attributes: [.posixPermissions: 0o600]) else {
            throw ChannelHTTPClient.Failure("cannot write \(configPath)")
        }
        let process = try ChildProcess(
            executable: try Self.resolve(command[0]),
            arguments: Array(command.dropFirst()) + ["--config", configPath, "--writepid", pidPath], outputFile: logFile)
        logger.info("OpenVPN process started", metadata: ["process": "\(spec.name)", "pid": "\(process.pid)"])

        // Cancellation ends the management stream (or the wait for the socket), then the process is stopped.
        do {
            let connection = try await ManagementConnection.connect(
                socketPath: spec.managementSocket, until: ContinuousClock.now + .seconds(15))
            await handler(connection)  // returns when the socket closes (the process is ending) or on cancellation
            connection.close()
        } catch {
            if !Task.isCancelled {
                logger.error("no management connection; stopping the process", metadata: ["process": "\(spec.name)", "error": "\(error)"])
            }
        }
        await process.terminate()
        try? fm.removeItem(atPath: pidPath)
    }

    /// An absolute program path: as given, or found on `PATH`.
    static func resolve(_ program: String) throws -> String {
        if program.hasPrefix("/") { return program }
        for directory in (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/sbin:/usr/bin:/sbin:/bin").split(separator: ":") {
            let candidate = "\(directory)/\(program)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        throw ChannelHTTPClient.Failure("'\(program)' is not on PATH: install OpenVPN 2.6 or set openvpn.command")
    }

    /// Ends OpenVPN processes an earlier daemon left behind (their pid files in the runtime folder).
    static func endLeftovers(in runtimeDirectory: String, logger: Logger) {
        let fm = FileManager.default
        for file in (try? fm.contentsOfDirectory(atPath: runtimeDirectory)) ?? [] where file.hasSuffix(".pid") {
            let path = "\(runtimeDirectory)/\(file)"
            defer { try? fm.removeItem(atPath: path) }
            guard let text = try? String(contentsOfFile: path, encoding: .utf8),
                let pid = Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)), pid > 1,
                let cmdline = fm.contents(atPath: "/proc/\(pid)/cmdline"),
                String(decoding: cmdline, as: UTF8.self).contains("openvpn")
            else { continue }
            logger.warning("ending an OpenVPN process left by an earlier run", metadata: ["pid": "\(pid)"])
            kill(pid, SIGKILL)
        }
    }
}
