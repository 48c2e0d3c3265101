import Foundation
import Synchronization

/// The built `portolan` binary run as a child process, as an operator would run it.
///
/// The binary is `$PORTOLAN_BIN` (scripts/test.sh sets it) or `.build/debug/portolan`.
/// `@unchecked Sendable`: `Process` is used only through its thread-safe accessors, the buffers are locked.
final class PortolanProcess: @unchecked Sendable {
    struct Output: Sendable {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static var binary: String {
        if let path = ProcessInfo.processInfo.environment["PORTOLAN_BIN"], !path.isEmpty { return path }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/portolan").path
    }

    private let process: Process
    private let stdoutPipe: Pipe
    private let stderrPipe: Pipe
    private let stdoutBuffer = LockedData()
    private let stderrBuffer = LockedData()

    /// Starts `portolan ARGUMENTS` in `directory` (or another `executable`, such as a test script's interpreter).
    init(
        _ arguments: [String], directory: String, environment: [String: String] = [:], stdin: String? = nil,
        executable: String? = nil
    ) throws {
        let path = executable ?? Self.binary
        guard FileManager.default.isExecutableFile(atPath: path) else {
            throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: "\(path)\(executable == nil ? " (run: swift build)" : "")"])
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: directory)
        var env = ProcessInfo.processInfo.environment
        env["PORTOLAN_DATABASE_URL"] = nil
        env["PORTOLAN_MASTER_KEY"] = nil
        env.merge(environment) { $1 }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        let input = Pipe()
        process.standardInput = input
        self.process = process
        stdoutPipe = out
        stderrPipe = err
        out.fileHandleForReading.readabilityHandler = { [stdoutBuffer] handle in
            let data = handle.availableData
            stdoutBuffer.append(data)
        }
        err.fileHandleForReading.readabilityHandler = { [stderrBuffer] handle in
            let data = handle.availableData
            stderrBuffer.append(data)
        }
        try process.run()
        if let stdin { input.fileHandleForWriting.write(Data(stdin.utf8)) }
        try input.fileHandleForWriting.close()
    }

    var stdout: String { stdoutBuffer.text }
    var stderr: String { stderrBuffer.text }
    var pid: Int32 { process.processIdentifier }
    var isRunning: Bool { process.isRunning }

    /// Waits until standard output has a line starting with `prefix`; returns that line.
    func waitForLine(startingWith prefix: String, timeout: Duration = .seconds(60)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let line = stdout.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }) { return String(line) }
            if !process.isRunning {
                throw ProcessFailure("exited (\(process.terminationStatus)) before printing '\(prefix)'; stderr: \(stderr)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw ProcessFailure("no line '\(prefix)' within \(timeout); stdout: \(stdout) stderr: \(stderr)")
    }

    /// The port in the `Serving at http://HOST:PORT/` line.
    func waitForPort() async throws -> Int {
        let line = try await waitForLine(startingWith: "Serving at ")
        guard let port = line.split(separator: ":").last.flatMap({ Int($0.trimmingCharacters(in: CharacterSet(charactersIn: "/"))) }) else {
            throw ProcessFailure("cannot read the port from '\(line)'")
        }
        return port
    }

    /// Starts `count` `portolan serve` processes at the same moment (replicas on one store) and waits for their ports.
    static func startReplicas(_ count: Int, directory: String, environment: [String: String]) async throws
        -> (replicas: [PortolanProcess], ports: [Int])
    {
        let replicas = try (0..<count).map { _ in
            try PortolanProcess(["serve", "--listen", "127.0.0.1:0"], directory: directory, environment: environment)
        }
        var ports: [Int] = []
        for replica in replicas { ports.append(try await replica.waitForPort()) }
        return (replicas, ports)
    }

    /// Sends `signal` to this process (by its PID).
    func signal(_ signal: Int32) { kill(process.processIdentifier, signal) }

    /// Waits for the process to exit; kills it after `timeout`.
    func waitForExit(timeout: Duration = .seconds(60)) async throws -> Output {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline {
                kill(process.processIdentifier, SIGKILL)
                throw ProcessFailure("did not exit within \(timeout); stdout: \(stdout) stderr: \(stderr.suffix(6000))")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        // The process is gone: stop the handlers and read whatever they had not picked up yet (under load they lag).
        for (pipe, buffer) in [(stdoutPipe, stdoutBuffer), (stderrPipe, stderrBuffer)] {
            pipe.fileHandleForReading.readabilityHandler = nil
            buffer.append(pipe.fileHandleForReading.readDataToEndOfFile())
        }
        return Output(status: process.terminationStatus, stdout: stdout, stderr: stderr)
    }

    /// Runs a one-shot command to completion.
    static func run(
        _ arguments: [String], directory: String, environment: [String: String] = [:], stdin: String? = nil,
        executable: String? = nil, timeout: Duration = .seconds(60)
    ) async throws -> Output {
        try await PortolanProcess(arguments, directory: directory, environment: environment, stdin: stdin, executable: executable)
            .waitForExit(timeout: timeout)
    }

    deinit {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Bytes appended from a pipe handler thread and read from the test.
final class LockedData: Sendable {
    private let data = Mutex(Data())
    func append(_ more: Data) { data.withLock { $0.append(more) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
