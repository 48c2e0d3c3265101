import Crypto
import PluginAPI

/// Proof Key for Code Exchange (RFC 7636), S256 only.
enum PKCE {
    /// Whether `text` is a well-formed S256 challenge: base64url of 32 bytes (43 characters).
    static func isValidChallenge(_ text: String) -> Bool {
        text.utf8.count == 43 && Base64URL.decode(text.utf8)?.count == 32
    }

    /// Whether `text` is a well-formed verifier: 43 to 128 of `A-Z a-z 0-9 - . _ ~`.
    static func isValidVerifier(_ text: String) -> Bool {
        (43...128).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "-._~".utf8.contains(byte)
            }
    }

    /// Whether `verifier` hashes to `challenge`, compared in constant time.
    static func verify(verifier: String, challenge: String) -> Bool {
        guard isValidVerifier(verifier) else { return false }
        let computed = Base64URL.encode(Array(SHA256.hash(data: Array(verifier.utf8))))
        return ConstantTime.equals(Array(computed.utf8), Array(challenge.utf8))
    }
}
