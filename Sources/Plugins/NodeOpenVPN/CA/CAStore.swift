import Foundation
import PluginAPI
import Synchronization

/// Loads the CA from the store (creating it on first use, once across all replicas) and keeps it in memory.
final class CAStore: Sendable {
    /// The sealed form of the CA in the plugin's secrets.
    private struct Sealed: Codable {
        var keyType: String
        var key: String
        var certificate: String
    }

    static let secretName = "ca"
    private let secrets: any SecretStore
    private let keyType: CAKeyType
    private let validity: Int64
    private let clock: any WallClock
    private let cached = Mutex<CertificateAuthority?>(nil)
    private let tlsCryptKeys = Mutex<[String: TLSCryptKey]>([:])

    init(secrets: any SecretStore, keyType: CAKeyType, validity: Int64, clock: any WallClock) {
        self.secrets = secrets
        self.keyType = keyType
        self.validity = validity
        self.clock = clock
    }

    /// The CA; created and stored when the store has none.
    func authority() async throws -> CertificateAuthority {
        if let authority = cached.withLock({ $0 }) { return authority }
        let keyType = self.keyType
        let validity = self.validity
        let now = clock.secondsSince1970
        let blob = try await secrets.secret(named: Self.secretName) {
            let (authority, raw) = try CertificateAuthority.create(keyType: keyType, now: now, validity: validity)
            let sealed = Sealed(keyType: keyType.rawValue, key: Data(raw).base64EncodedString(), certificate: authority.certificatePEM)
            return Array(try JSONEncoder().encode(sealed))
        }
        let sealed = try JSONDecoder().decode(Sealed.self, from: Data(blob))
        guard let storedType = CAKeyType(rawValue: sealed.keyType), let raw = Data(base64Encoded: sealed.key) else {
            throw PluginError(.internalError, "the stored CA is unreadable")
        }
        let authority = try CertificateAuthority(keyType: storedType, certificatePEM: sealed.certificate, rawKey: Array(raw))
        cached.withLock { $0 = authority }
        return authority
    }

    /// The profile's tls-crypt key; created on first use.
    func tlsCryptKey(profileID: String) async throws -> TLSCryptKey {
        if let key = tlsCryptKeys.withLock({ $0[profileID] }) { return key }
        let key = try TLSCryptKey(bytes: try await secrets.secret(named: "tls-crypt.\(profileID)") { TLSCryptKey.generate() })
        tlsCryptKeys.withLock { $0[profileID] = key }
        return key
    }
}
