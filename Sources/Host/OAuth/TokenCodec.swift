import Crypto
import Foundation
import PluginAPI

/// Signs and checks Portolan's OAuth tokens: `<kind>.<payload>.<mac>`, base64url, HMAC-SHA-256 with a key from the
/// store (so every replica checks every token).
///
/// A token carries only the authorization's key, a generation and its expiry; whether the authorization still exists
/// is the ``GrantCache``'s and the store's business. Checking costs one HMAC over 30 bytes: about a microsecond.
struct TokenCodec: Sendable {
    enum Kind: UInt8, Sendable {
        case authorizationCode = 1
        case accessToken = 2
        case refreshToken = 3

        var prefix: String {
            switch self {
            case .authorizationCode: "ptc"
            case .accessToken: "pta"
            case .refreshToken: "ptr"
            }
        }
    }

    /// What a token says.
    struct Claims: Sendable, Equatable {
        var kind: Kind
        /// The authorization's key: 16 random bytes.
        var authorizationKey: AuthorizationKey
        /// For refresh tokens the rotation count; for access tokens the count when issued; 0 for codes.
        var generation: UInt32
        /// Seconds since 1970.
        var expiresAt: Int64
    }

    private static let version: UInt8 = 1
    private static let payloadLength = 1 + 1 + AuthorizationKey.byteCount + 4 + 8
    /// An HMAC already keyed: copying it skips the key schedule on every token.
    private let keyed: HMAC<SHA256>

    /// - Parameter secret: the 32-byte host secret `oauth-signing-key`.
    init(secret: [UInt8]) {
        keyed = HMAC<SHA256>(key: HKDF<SHA256>.deriveKey(
            inputKeyMaterial: SymmetricKey(data: secret), info: Array("portolan oauth tokens v1".utf8), outputByteCount: 32))
    }

    private func mac(_ kind: Kind, _ payload: [UInt8]) -> [UInt8] {
        var hmac = keyed
        hmac.update(data: Array(kind.prefix.utf8))
        hmac.update(data: payload)
        return Array(hmac.finalize())
    }

    func encode(_ claims: Claims) -> String {
        var payload: [UInt8] = [Self.version, claims.kind.rawValue]
        payload.reserveCapacity(Self.payloadLength)
        payload += claims.authorizationKey.bytes
        withUnsafeBytes(of: claims.generation.bigEndian) { payload += $0 }
        withUnsafeBytes(of: claims.expiresAt.bigEndian) { payload += $0 }
        return "\(claims.kind.prefix).\(Base64URL.encode(payload)).\(Base64URL.encode(mac(claims.kind, payload)))"
    }

    /// The claims of a well-formed, correctly signed token of `kind`, or `nil`. Expiry is the caller's check.
    func decode(_ token: String, as kind: Kind) -> Claims? {
        let parts = token.utf8.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].elementsEqual(kind.prefix.utf8),
            let payload = Base64URL.decode(parts[1]), payload.count == Self.payloadLength,
            let sent = Base64URL.decode(parts[2]), sent.count == 32, ConstantTime.equals(sent, mac(kind, payload)),
            payload[0] == Self.version, payload[1] == kind.rawValue
        else { return nil }
        let keyEnd = 2 + AuthorizationKey.byteCount
        let generation = payload[keyEnd..<(keyEnd + 4)].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        let expiry = payload[(keyEnd + 4)...].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Claims(
            kind: kind, authorizationKey: AuthorizationKey(bytes: Array(payload[2..<keyEnd])), generation: generation,
            expiresAt: Int64(bitPattern: expiry))
    }
}
