import Crypto
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
    private let serverCertificates = Mutex<[String: IssuedCertificate]>([:])

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

    /// The server certificate of a profile on a node, issued once and kept (sealed) in the store, so that fetching
    /// the configuration again gives the same text and the node restarts no process whose configuration is unchanged.
    func serverCertificate(nodeID: String, hostName: String, profileID: String) async throws -> IssuedCertificate {
        let hostHash = SHA256.hash(data: Array(hostName.utf8)).prefix(6).map { String(format: "%02x", $0) }.joined()
        let name = "server.\(nodeID).\(profileID).\(hostHash)"
        if let issued = serverCertificates.withLock({ $0[name] }) { return issued }
        let authority = try await authority()
        let now = clock.secondsSince1970
        let blob = try await secrets.secret(named: name) {
            let issued = try authority.issueServer(hostName: hostName, profileID: profileID, now: now)
            return Array(try JSONEncoder().encode([issued.commonName, issued.serialHex, String(issued.notAfter), issued.certificatePEM, issued.privateKeyPEM]))
        }
        let fields = try JSONDecoder().decode([String].self, from: Data(blob))
        guard fields.count == 5, let notAfter = Int64(fields[2]) else {
            throw PluginError(.internalError, "the stored server certificate '\(name)' is unreadable")
        }
        let issued = IssuedCertificate(
            commonName: fields[0], serialHex: fields[1], notAfter: notAfter, certificatePEM: fields[3], privateKeyPEM: fields[4])
        serverCertificates.withLock { $0[name] = issued }
        return issued
    }

    /// The profile's tls-crypt key; created on first use.
    func tlsCryptKey(profileID: String) async throws -> TLSCryptKey {
        if let key = tlsCryptKeys.withLock({ $0[profileID] }) { return key }
        let key = try TLSCryptKey(bytes: try await secrets.secret(named: "tls-crypt.\(profileID)") { TLSCryptKey.generate() })
        tlsCryptKeys.withLock { $0[profileID] = key }
        return key
    }
}
