import Crypto
import Foundation
import NIOSSL
import PluginAPI
import SwiftASN1
import X509

/// The HTTPS identity: the operator's certificate files, or a self-signed certificate generated once and kept
/// (sealed) in the store, so that every replica presents the same one. TLS 1.3 only.
struct ServerTLS: Sendable {
    static let secretName = "tls-self-signed"

    let configuration: TLSConfiguration
    /// SHA-256 of the leaf certificate (DER), `AB:CD:…`, to print for users to compare.
    let fingerprint: String
    let isSelfSigned: Bool

    /// Loads or creates the identity for `settings`; `nil` when TLS is disabled.
    /// - Throws: ``ConfigError`` naming the file that cannot be read or parsed.
    static func load(_ settings: TLSSettings, hostNames: [String], secrets: any SecretStore, clock: any WallClock) async throws -> ServerTLS? {
        let chain: [NIOSSLCertificate]
        let key: NIOSSLPrivateKey
        let selfSigned: Bool
        switch settings {
        case .disabled:
            return nil
        case .files(let certificatePath, let keyPath):
            do {
                chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
                guard !chain.isEmpty else { throw ConfigError(key: "server.tls.certificate_file", problem: "'\(certificatePath)' holds no PEM certificate") }
            } catch let error as ConfigError {
                throw error
            } catch {
                throw ConfigError(key: "server.tls.certificate_file", problem: "cannot read a PEM certificate from '\(certificatePath)'")
            }
            do {
                key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
            } catch {
                throw ConfigError(key: "server.tls.key_file", problem: "cannot read a PEM private key from '\(keyPath)'")
            }
            selfSigned = false
        case .selfSigned:
            let bundle = try await secrets.secret(named: secretName) {
                Array(try selfSignedPEM(hostNames: hostNames, now: clock.secondsSince1970).utf8)
            }
            chain = try NIOSSLCertificate.fromPEMBytes(bundle)
            key = try NIOSSLPrivateKey(bytes: bundle, format: .pem)
            selfSigned = true
        }
        var configuration = TLSConfiguration.makeServerConfiguration(certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = .tlsv13
        let der = try chain[0].toDERBytes()
        let fingerprint = SHA256.hash(data: der).map { String(format: "%02X", $0) }.joined(separator: ":")
        return ServerTLS(configuration: configuration, fingerprint: fingerprint, isSelfSigned: selfSigned)
    }

    /// A P-256 certificate (browsers do not take Ed25519 yet) for `localhost`, `127.0.0.1`, `::1` and `hostNames`,
    /// valid 10 years, followed by its PKCS#8 key, as PEM.
    static func selfSignedPEM(hostNames: [String], now: Int64) throws -> String {
        let key = P256.Signing.PrivateKey()
        let certificateKey = Certificate.PrivateKey(key)
        let name = try DistinguishedName { OrganizationName("Portolan"); CommonName("Portolan self-signed") }
        var names: [GeneralName] = [.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])),
            .ipAddress(ASN1OctetString(contentBytes: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]))]
        for host in Set(hostNames) where !host.isEmpty && host != "localhost" {
            if let bytes = IPNetwork.parseAddress(host) {
                names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
            } else {
                names.append(.dnsName(host))
            }
        }
        let serverAuth = try ExtendedKeyUsage([.serverAuth])
        let start = Date(timeIntervalSince1970: TimeInterval(now - 300))
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: certificateKey.publicKey,
            notValidBefore: start, notValidAfter: start.addingTimeInterval(10 * 365 * 86_400),
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                serverAuth
                SubjectAlternativeNames(names)
            },
            issuerPrivateKey: certificateKey)
        return try certificate.serializeAsPEM().pemString + "\n" + key.pemRepresentation + "\n"
    }
}
