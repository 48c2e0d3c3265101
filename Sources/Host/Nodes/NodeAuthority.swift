import Crypto
import Foundation
import PluginAPI
import SwiftASN1
import X509

/// The node channel's certificate authority (P-256, kept sealed in the store so every replica issues with it).
///
/// It signs each node's certificate (at enrolment and renewal) and each controller replica's channel certificate.
/// Roles are names: a node's certificate carries `<node-id>.node.portolan.invalid`, a controller's
/// `controller.portolan.invalid`, and each side verifies the other's name, so a node cannot pose as the controller.
struct NodeAuthority: Sendable {
    static let secretName = "node-ca"
    static let controllerName = "controller.portolan.invalid"

    /// The DNS name a node's certificate carries.
    static func nodeName(_ nodeID: String) -> String { "\(nodeID).node.portolan.invalid" }

    let certificate: Certificate
    let certificatePEM: String
    private let key: P256.Signing.PrivateKey

    /// SHA-256 of the CA certificate (DER), lower-case hex: what a join token pins.
    var fingerprint: String { Self.fingerprint(ofPEM: certificatePEM) ?? "" }

    /// SHA-256 of a PEM certificate's DER, lower-case hex; `nil` when it is not PEM.
    static func fingerprint(ofPEM pem: String) -> String? {
        guard let document = try? PEMDocument(pemString: pem) else { return nil }
        return fingerprint(ofDER: document.derBytes)
    }

    static func fingerprint(ofDER der: [UInt8]) -> String {
        SHA256.hash(data: der).map { String(format: "%02x", $0) }.joined()
    }

    /// Loads the CA from the host's secrets, creating it (valid 20 years) on first use.
    static func load(secrets: any SecretStore, clock: any WallClock) async throws -> NodeAuthority {
        let now = clock.secondsSince1970
        let bundle = try await secrets.secret(named: secretName) {
            let key = P256.Signing.PrivateKey()
            let name = try DistinguishedName { OrganizationName("Portolan"); CommonName("Portolan node CA") }
            let start = Date(timeIntervalSince1970: TimeInterval(now - 300))
            let signer = Certificate.PrivateKey(key)
            let certificate = try Certificate(
                version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: signer.publicKey,
                notValidBefore: start, notValidAfter: start.addingTimeInterval(20 * 365 * 86_400),
                issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                    Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                    SubjectKeyIdentifier(hash: signer.publicKey)
                },
                issuerPrivateKey: signer)
            return Array((try certificate.serializeAsPEM().pemString + "\n" + key.pemRepresentation + "\n").utf8)
        }
        let text = String(decoding: bundle, as: UTF8.self)
        guard let split = text.range(of: "-----BEGIN PRIVATE KEY-----") else {
            throw PluginError(.internalError, "the stored node CA is unreadable")
        }
        let certificatePEM = String(text[..<split.lowerBound]).trimmingCharacters(in: .whitespacesAndNewlines) + "\n"
        let key = try P256.Signing.PrivateKey(pemRepresentation: String(text[split.lowerBound...]))
        return NodeAuthority(certificate: try Certificate(pemEncoded: certificatePEM), certificatePEM: certificatePEM, key: key)
    }

    /// Signs a certificate for `publicKey` with the DNS name of a node or of the controller.
    /// - Parameters:
    ///   - commonName: the node id, or `portolan-controller`.
    ///   - dnsName: ``nodeName(_:)`` or ``controllerName``.
    ///   - validity: seconds from now.
    func issue(commonName: String, dnsName: String, publicKey: P256.Signing.PublicKey, validity: Int64, now: Int64) throws
        -> (pem: String, notAfter: Int64)
    {
        let start = Date(timeIntervalSince1970: TimeInterval(now - 300))
        let notAfter = min(Int64(start.timeIntervalSince1970) + 300 + validity, Int64(certificate.notValidAfter.timeIntervalSince1970))
        let subject = try DistinguishedName { OrganizationName("Portolan"); CommonName(commonName) }
        let issued = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: Certificate.PublicKey(publicKey),
            notValidBefore: start, notValidAfter: Date(timeIntervalSince1970: TimeInterval(notAfter)),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                SubjectAlternativeNames([.dnsName(dnsName)])
            },
            issuerPrivateKey: Certificate.PrivateKey(key))
        return (try issued.serializeAsPEM().pemString + "\n", notAfter)
    }
}
