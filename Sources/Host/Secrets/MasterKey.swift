import Crypto
import Foundation
import PluginAPI

/// The 32-byte key that seals every secret in the store (AES-256-GCM).
///
/// It comes from `secrets.master_key` (or `PORTOLAN_MASTER_KEY`), base64. On the embedded SQLite default,
/// when none is configured, it is generated once into `<data-dir>/master.key` (mode 0600). With PostgreSQL it must be
/// configured, so that every replica shares it and no replica depends on a local file.
struct MasterKey: Sendable {
    static let fileName = "master.key"
    let key: SymmetricKey

    init(base64 text: String, key configKey: String) throws {
        guard let bytes = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)), bytes.count == 32
        else {
            throw ConfigError(key: configKey, problem: "must be 32 bytes in base64 (make one with: openssl rand -base64 32)")
        }
        self.key = SymmetricKey(data: bytes)
    }

    /// Resolves the master key for this boot.
    /// - Returns: the key, and whether it was generated now.
    static func resolve(configured: String?, usesPostgres: Bool, dataDirectory: String) throws -> (MasterKey, Bool) {
        if let configured {
            return (try MasterKey(base64: configured, key: "secrets.master_key"), false)
        }
        guard !usesPostgres else {
            throw ConfigError(
                key: "secrets.master_key",
                problem: "is required with PostgreSQL so that all replicas share it (set PORTOLAN_MASTER_KEY)")
        }
        let path = "\(dataDirectory)/\(fileName)"
        let generated = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
        let created = try DataDirectory.writeNewSecretFile(path, contents: generated + "\n")
        guard let text = FileManager.default.contents(atPath: path).map({ String(decoding: $0, as: UTF8.self) }) else {
            throw ConfigError(key: "data_dir", problem: "cannot read \(path)")
        }
        return (try MasterKey(base64: text, key: path), created)
    }

    func seal(_ plaintext: [UInt8], context: String) throws -> [UInt8] {
        guard let combined = try AES.GCM.seal(plaintext, using: key, authenticating: Array(context.utf8)).combined else {
            throw PluginError(.internalError, "sealing a secret failed")
        }
        return Array(combined)
    }

    func open(_ sealed: [UInt8], context: String) throws -> [UInt8] {
        do {
            let box = try AES.GCM.SealedBox(combined: sealed)
            return Array(try AES.GCM.open(box, using: key, authenticating: Array(context.utf8)))
        } catch {
            throw ConfigError(
                key: "secrets.master_key",
                problem: "does not open the secret '\(context)' in the store: it is not the key this store was created with")
        }
    }
}
