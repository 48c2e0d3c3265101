import Foundation
import Testing
import TestSupport

@testable import NodeOpenVPNPlugin

/// Certificates checked by OpenSSL itself, the way OpenVPN will see them.
@Suite("Certificate authority", .enabled(if: Shell.which("openssl") != nil, "openssl is not installed"))
struct CertificateAuthorityTests {
    static let now: Int64 = 1_800_000_000

    func write(_ text: String, _ name: String, in directory: URL) throws -> String {
        let url = directory.appendingPathComponent(name)
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    @Test(arguments: CAKeyType.allCases)
    func opensslVerifiesClientAndServerCertificates(_ keyType: CAKeyType) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let now = Int64(Date().timeIntervalSince1970)
        let (ca, raw) = try CertificateAuthority.create(keyType: keyType, now: now, validity: 3650 * 86400)
        let client = try ca.issueClient(profileID: "office", notAfter: now + 90 * 86400, now: now)
        let server = try ca.issueServer(hostName: "vpn.example.org", profileID: "office", now: now)
        let caPath = try write(ca.certificatePEM, "ca.pem", in: directory)
        let clientPath = try write(client.certificatePEM, "client.pem", in: directory)
        let serverPath = try write(server.certificatePEM, "server.pem", in: directory)

        let verifyClient = try Shell.run("openssl", ["verify", "-CAfile", caPath, "-purpose", "sslclient", clientPath])
        #expect(verifyClient.status == 0, "\(verifyClient.output)")
        #expect(verifyClient.output.contains("OK"))
        let verifyServer = try Shell.run("openssl", ["verify", "-CAfile", caPath, "-purpose", "sslserver", serverPath])
        #expect(verifyServer.status == 0, "\(verifyServer.output)")
        let wrongPurpose = try Shell.run("openssl", ["verify", "-CAfile", caPath, "-purpose", "sslserver", clientPath])
        #expect(wrongPurpose.status != 0, "a client certificate must not pass as a server one")

        let text = try Shell.run("openssl", ["x509", "-in", clientPath, "-noout", "-text"]).output
        #expect(text.contains("Subject: OU=office, CN=\(client.commonName)") || text.contains("Subject: OU = office, CN = \(client.commonName)"), "\(text)")
        #expect(text.contains("X509v3 Key Usage: critical\n                Digital Signature\n"))
        #expect(text.contains("X509v3 Extended Key Usage: \n                TLS Web Client Authentication"))
        #expect(text.contains("CA:FALSE"))
        #expect(text.contains(keyType == .ed25519 ? "Signature Algorithm: ED25519" : "Signature Algorithm: ecdsa-with-SHA256"))
        let serverText = try Shell.run("openssl", ["x509", "-in", serverPath, "-noout", "-text"]).output
        #expect(serverText.contains("TLS Web Server Authentication"))
        #expect(serverText.contains("DNS:vpn.example.org"))
        let caText = try Shell.run("openssl", ["x509", "-in", caPath, "-noout", "-text"]).output
        #expect(caText.contains("CA:TRUE, pathlen:0"))

        let standard = client.commonName.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        #expect(client.commonName.count == 44 && Data(base64Encoded: standard)?.count == 32)
        #expect(client.serialHex.count == 32, "128-bit serial")
        let rebuilt = try CertificateAuthority(keyType: keyType, certificatePEM: ca.certificatePEM, rawKey: raw)
        let again = try rebuilt.issueClient(profileID: "office", notAfter: now + 3600, now: now)
        let verifyAgain = try Shell.run(
            "openssl", ["verify", "-CAfile", caPath, try write(again.certificatePEM, "again.pem", in: directory)])
        #expect(verifyAgain.status == 0, "a CA rebuilt from the store signs verifiable certificates")
    }

    @Test func clientExpiryIsCappedAtTheCA() throws {
        let (ca, _) = try CertificateAuthority.create(keyType: .ed25519, now: Self.now, validity: 86400)
        let client = try ca.issueClient(profileID: "p", notAfter: Self.now + 10 * 86400, now: Self.now)
        #expect(client.notAfter == ca.notAfter)
        let short = try ca.issueClient(profileID: "p", notAfter: Self.now + 3600, now: Self.now)
        #expect(short.notAfter == Self.now + 3600)
    }

    @Test func tlsCryptKeyFormat() throws {
        let key = try TLSCryptKey(bytes: Array(0..<256).map { UInt8($0) })
        let lines = key.pem.split(separator: "\n")
        #expect(lines.count == 4 + 16 + 1)
        #expect(lines[1] == "# 2048 bit OpenVPN static key")
        #expect(lines[4] == "000102030405060708090a0b0c0d0e0f")
        #expect(lines.dropFirst(4).prefix(16).allSatisfy { $0.count == 32 })
        #expect(throws: (any Error).self) { try TLSCryptKey(bytes: [1, 2, 3]) }
    }
}

extension CAKeyType: CustomTestStringConvertible {
    public var testDescription: String { rawValue }
}
