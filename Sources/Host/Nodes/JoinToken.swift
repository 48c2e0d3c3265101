import Crypto
import Foundation

/// A one-time enrolment token: `pnj1.<node-id>.<secret>.<CA fingerprint>`.
///
/// The controller keeps only the SHA-256 of the secret. The node checks the CA it is handed against the fingerprint
/// before it trusts the channel (as `kubeadm join` pins a CA hash), so the token is all an operator copies.
struct JoinToken: Sendable, Equatable {
    var nodeID: String
    var secret: String
    var caFingerprint: String

    var text: String { "pnj1.\(nodeID).\(secret).\(caFingerprint)" }

    /// SHA-256 of the secret, hex: what the registry stores.
    var secretHash: String { Self.hash(secret) }

    static func hash(_ secret: String) -> String {
        SHA256.hash(data: Array(secret.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    static func generate(nodeID: String, caFingerprint: String) -> JoinToken {
        JoinToken(nodeID: nodeID, secret: Base64URL.encode(randomBytes(32)), caFingerprint: caFingerprint)
    }

    /// Parses a token; `nil` when it is not one.
    init?(text: String) {
        let parts = text.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4, parts[0] == "pnj1", NodeID.isValid(String(parts[1])), parts[2].utf8.count == 43,
            Base64URL.decode(parts[2].utf8) != nil, parts[3].utf8.count == 64,
            parts[3].utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) })
        else { return nil }
        self.init(nodeID: String(parts[1]), secret: String(parts[2]), caFingerprint: String(parts[3]))
    }

    init(nodeID: String, secret: String, caFingerprint: String) {
        self.nodeID = nodeID
        self.secret = secret
        self.caFingerprint = caFingerprint
    }
}
