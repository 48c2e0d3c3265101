import Foundation
import Synchronization

/// The node's copy of the revocation list: certificates that stopped being valid before they expire, kept in sync
/// from the controller and on disk (`revocations.json`), so that a node cut off from the controller still refuses
/// them. Entries leave when their certificate expires (OpenVPN refuses it then anyway).
final class LocalRevocations: Sendable {
    private struct Saved: Codable {
        var cursor: Int64
        var revoked: [String: Int64]
    }

    private let path: String
    private let state: Mutex<Saved>

    init(directory: String) {
        path = "\(directory)/revocations.json"
        let saved = FileManager.default.contents(atPath: path).flatMap { try? JSONDecoder().decode(Saved.self, from: $0) }
        state = Mutex(saved ?? Saved(cursor: 0, revoked: [:]))
    }

    var cursor: Int64 { state.withLock { $0.cursor } }
    var count: Int { state.withLock { $0.revoked.count } }

    func isRevoked(_ commonName: String) -> Bool { state.withLock { $0.revoked[commonName] != nil } }

    /// Adds what the controller sent; returns the names that are new. Saves to disk.
    @discardableResult
    func merge(_ list: NodeWire.RevocationList, now: Int64) -> [String] {
        let (added, saved) = state.withLock { state -> ([String], Saved) in
            var added: [String] = []
            for revocation in list.revocations where state.revoked[revocation.commonName] == nil {
                state.revoked[revocation.commonName] = revocation.expiresAt
                added.append(revocation.commonName)
            }
            state.revoked = state.revoked.filter { $0.value > now }
            state.cursor = max(state.cursor, list.cursor)
            return (added, state)
        }
        if let data = try? JSONEncoder().encode(saved) {
            let temporary = path + ".tmp"
            if FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600]) {
                _ = rename(temporary, path)
            }
        }
        return added
    }
}
