import Foundation

/// Runs a program to completion for tests (openssl, openvpn, ip); returns its exit status and output.
public enum Shell {
    /// The result of a run.
    public struct Result: Sendable {
        public var status: Int32
        public var output: String
    }

    /// The absolute path of `program` on PATH (or common sbin folders), or `nil`.
    public static func which(_ program: String) -> String? {
        let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/sbin:/usr/local/sbin"
        return path.split(separator: ":").map { "\($0)/\(program)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    /// Runs `program` with `arguments`; standard output and error are merged.
    public static func run(_ program: String, _ arguments: [String]) throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: which(program) ?? program)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(status: process.terminationStatus, output: String(decoding: data, as: UTF8.self))
    }

    /// Whether this process runs as root.
    public static var isRoot: Bool { getuid() == 0 }
}
