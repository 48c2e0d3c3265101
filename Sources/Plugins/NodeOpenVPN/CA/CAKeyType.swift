import Crypto
package import X509
import _CryptoExtras

/// The key algorithm of the CA and of every certificate it issues.
package enum CAKeyType: String, Sendable, CaseIterable {
    /// Ed25519: fast (about 80 µs per certificate) and what OpenVPN 2.6 with OpenSSL 3 prefers.
    case ed25519
    /// ECDSA P-256: for older clients (mbedTLS builds, OpenSSL before 1.1.1) that lack Ed25519.
    case p256

    /// A new private key, its PKCS#8 PEM (with a trailing newline) and its raw bytes (for ``privateKey(raw:)``).
    package func makeKey() -> (key: Certificate.PrivateKey, pem: String, raw: [UInt8]) {
        switch self {
        case .ed25519:
            let key = Curve25519.Signing.PrivateKey()
            return (Certificate.PrivateKey(key), key.pemRepresentation + "\n", Array(key.rawRepresentation))
        case .p256:
            let key = P256.Signing.PrivateKey()
            return (Certificate.PrivateKey(key), key.pemRepresentation + "\n", Array(key.rawRepresentation))
        }
    }

    /// The signature algorithm certificates signed by a key of this type use.
    var signatureAlgorithm: Certificate.SignatureAlgorithm {
        switch self {
        case .ed25519: .ed25519
        case .p256: .ecdsaWithSHA256
        }
    }

    /// Rebuilds a private key from its raw bytes.
    func privateKey(raw: [UInt8]) throws -> Certificate.PrivateKey {
        switch self {
        case .ed25519: Certificate.PrivateKey(try Curve25519.Signing.PrivateKey(rawRepresentation: raw))
        case .p256: Certificate.PrivateKey(try P256.Signing.PrivateKey(rawRepresentation: raw))
        }
    }
}
