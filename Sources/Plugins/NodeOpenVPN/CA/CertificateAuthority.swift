import Crypto
import Foundation
import SwiftASN1
import _CryptoExtras
package import X509

/// Portolan's OpenVPN certificate authority: issues client certificates for `/connect` and server certificates
/// for nodes, in-process (no `vpn-ca` process per certificate as in the reference server).
///
/// The CA key and certificate live in the store, sealed with the master key, so every replica issues with the
/// same CA. Certificates follow what OpenVPN's `remote-cert-tls` checks: KU digitalSignature (critical) and
/// EKU clientAuth or serverAuth.
package struct CertificateAuthority: Sendable {
    /// The CA's subject.
    package static let commonName = "Portolan VPN CA"
    /// Leaf certificates start this long before they are issued, for clients whose clock runs behind.
    package static let backdate: Int64 = 300

    package let keyType: CAKeyType
    package let certificate: Certificate
    private let privateKey: Certificate.PrivateKey
    /// The CA certificate, PEM, ending in a newline.
    package let certificatePEM: String
    /// The CA's notAfter in seconds since 1970: no certificate it issues outlives it.
    package let notAfter: Int64
    /// The CA's subject key identifier, put into every leaf as its authority key identifier.
    private let keyIdentifier: ArraySlice<UInt8>?

    /// Creates a new CA valid for `validity` seconds from `now`.
    package static func create(keyType: CAKeyType, now: Int64, validity: Int64) throws -> (CertificateAuthority, rawKey: [UInt8]) {
        let (key, _, raw) = keyType.makeKey()
        let name = try DistinguishedName { CommonName(commonName) }
        let identifier = SubjectKeyIdentifier(hash: key.publicKey)
        let certificate = try Certificate(
            version: .v3, serialNumber: randomSerial(), publicKey: key.publicKey,
            notValidBefore: Date(timeIntervalSince1970: TimeInterval(now - backdate)),
            notValidAfter: Date(timeIntervalSince1970: TimeInterval(now + validity)),
            issuer: name, subject: name, signatureAlgorithm: keyType.signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true, cRLSign: true))
                identifier
            },
            issuerPrivateKey: key)
        let authority = try CertificateAuthority(keyType: keyType, certificate: certificate, privateKey: key)
        return (authority, raw)
    }

    /// Rebuilds a stored CA.
    package init(keyType: CAKeyType, certificatePEM: String, rawKey: [UInt8]) throws {
        try self.init(
            keyType: keyType, certificate: try Certificate(pemEncoded: certificatePEM),
            privateKey: try keyType.privateKey(raw: rawKey))
    }

    private init(keyType: CAKeyType, certificate: Certificate, privateKey: Certificate.PrivateKey) throws {
        self.keyType = keyType
        self.certificate = certificate
        self.privateKey = privateKey
        self.certificatePEM = try certificate.serializeAsPEM().pemString + "\n"
        self.notAfter = Int64(certificate.notValidAfter.timeIntervalSince1970)
        self.keyIdentifier = try certificate.extensions.subjectKeyIdentifier?.keyIdentifier
    }

    /// Issues a client certificate: CN = base64 of 32 random bytes, OU = the profile, EKU clientAuth.
    ///
    /// The CN uses the URL-safe base64 alphabet (`-` and `_` for `+` and `/`): the same 44 characters as the
    /// reference server's, without characters that DN printers escape or shells and management commands mangle.
    /// - Parameters:
    ///   - profileID: the profile (the OU).
    ///   - notAfter: the authorization's expiry; capped at the CA's.
    ///   - now: the current time.
    package func issueClient(profileID: String, notAfter: Int64, now: Int64) throws -> IssuedCertificate {
        let commonName = Data(randomBytes(32)).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
        return try issue(
            commonName: commonName, profileID: profileID, notAfter: min(notAfter, self.notAfter), now: now,
            usage: try ExtendedKeyUsage([.clientAuth]), subjectAlternativeNames: nil)
    }

    /// Issues a server certificate for a node: CN = the host name, OU = the profile, EKU serverAuth.
    package func issueServer(hostName: String, profileID: String, now: Int64) throws -> IssuedCertificate {
        let names: SubjectAlternativeNames
        if let address = Self.addressBytes(hostName) {
            names = SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: ArraySlice(address)))])
        } else {
            names = SubjectAlternativeNames([.dnsName(hostName)])
        }
        return try issue(
            commonName: hostName, profileID: profileID, notAfter: notAfter, now: now,
            usage: try ExtendedKeyUsage([.serverAuth]), subjectAlternativeNames: names)
    }

    private func issue(
        commonName: String, profileID: String, notAfter: Int64, now: Int64, usage: ExtendedKeyUsage,
        subjectAlternativeNames: SubjectAlternativeNames?
    ) throws -> IssuedCertificate {
        let (key, keyPEM, _) = keyType.makeKey()
        let serial = randomSerial()
        let subject = try DistinguishedName {
            OrganizationalUnitName(profileID)
            CommonName(commonName)
        }
        let leaf = try Certificate(
            version: .v3, serialNumber: serial, publicKey: key.publicKey,
            notValidBefore: Date(timeIntervalSince1970: TimeInterval(now - Self.backdate)),
            notValidAfter: Date(timeIntervalSince1970: TimeInterval(notAfter)),
            issuer: certificate.subject, subject: subject, signatureAlgorithm: keyType.signatureAlgorithm,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                usage
                SubjectKeyIdentifier(hash: key.publicKey)
                if let keyIdentifier { AuthorityKeyIdentifier(keyIdentifier: keyIdentifier) }
                if let subjectAlternativeNames { subjectAlternativeNames }
            },
            issuerPrivateKey: privateKey)
        return IssuedCertificate(
            commonName: commonName, serialHex: hexString(serial.bytes),
            notAfter: notAfter, certificatePEM: try leaf.serializeAsPEM().pemString + "\n", privateKeyPEM: keyPEM)
    }

    private static func addressBytes(_ text: String) -> [UInt8]? {
        var v4 = in_addr()
        if inet_pton(AF_INET, text, &v4) == 1 { return withUnsafeBytes(of: &v4) { Array($0) } }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, text, &v6) == 1 { return withUnsafeBytes(of: &v6) { Array($0) } }
        return nil
    }
}

/// A random, positive 128-bit serial number.
func randomSerial() -> Certificate.SerialNumber {
    var bytes = randomBytes(16)
    bytes[0] = (bytes[0] & 0x7F) | 0x01
    return Certificate.SerialNumber(bytes: bytes)
}

/// Lower-case hex, two digits per byte.
func hexString(_ bytes: some Sequence<UInt8>) -> String {
    let digits = Array("0123456789abcdef".utf8)
    var text: [UInt8] = []
    for byte in bytes {
        text.append(digits[Int(byte >> 4)])
        text.append(digits[Int(byte & 0x0F)])
    }
    return String(decoding: text, as: UTF8.self)
}

/// `count` bytes from the system's CSPRNG.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    var bytes: [UInt8] = []
    bytes.reserveCapacity(count + 7)
    while bytes.count < count {  // eight bytes per draw: one getrandom call, not one per byte
        withUnsafeBytes(of: generator.next() as UInt64) { bytes += $0 }
    }
    return Array(bytes.prefix(count))
}
