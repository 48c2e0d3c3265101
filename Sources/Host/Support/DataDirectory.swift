import Foundation
import PluginAPI

/// The local data folder (SQLite database, generated master key, self-signed TLS certificate).
enum DataDirectory {
    /// Creates `path` (and parents) with mode 0700 when missing.
    static func create(_ path: String) throws {
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw ConfigError(key: "data_dir", problem: "cannot create \(path): \(error.localizedDescription)")
        }
    }

    /// Writes `contents` to `path` with mode 0600, failing when the file exists (so two processes never both win).
    static func writeNewSecretFile(_ path: String, contents: String) throws -> Bool {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        if fd < 0 {
            if errno == EEXIST { return false }
            throw ConfigError(key: "data_dir", problem: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { _ = Foundation.close(fd) }
        let bytes = Array(contents.utf8)
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else {
            throw ConfigError(key: "data_dir", problem: "cannot write \(path)")
        }
        return true
    }
}
