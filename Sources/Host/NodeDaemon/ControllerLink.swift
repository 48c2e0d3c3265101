import OneShotHTTP
import Crypto
import Foundation
import NIOCore
import NIOSSL
import SwiftASN1
import Synchronization
import X509

/// The node's identity (key, certificate, node CA) and its client for the controller's channel; renews the
/// certificate at two thirds of its life and swaps the client.
final class ControllerLink: Sendable {
    struct Identity: Sendable {
        var certificatePEM: String
        var keyPEM: String
        var caPEM: String

        /// A TLS 1.3 server presenting this identity and checking client certificates against the node CA.
        func serverConfiguration(clients: CertificateVerification) throws -> TLSConfiguration {
            var configuration = TLSConfiguration.makeServerConfiguration(
                certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) },
                privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem)))
            configuration.minimumTLSVersion = .tlsv13
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
            configuration.certificateVerification = clients
            // Every exchange is one request on its own connection, its body length-delimited: waiting 5 s (the
            // default) for a peer's close_notify only held up graceful shutdown.
            configuration.shutdownTimeout = .seconds(1)
            return configuration
        }
    }

    let controllerURL: String
    private let files: (certificate: String, key: String, ca: String)?
    private let state: Mutex<(identity: Identity, client: ChannelHTTPClient)>

    /// - Parameter files: where to save a renewed identity, or `nil` (in-process node: the store is the source).
    init(controllerURL: String, identity: Identity, files: (certificate: String, key: String, ca: String)?) throws {
        self.controllerURL = controllerURL
        self.files = files
        state = Mutex((identity, try Self.client(controllerURL, identity)))
    }

    var client: ChannelHTTPClient { state.withLock { $0.client } }

    static func client(_ url: String, _ identity: Identity) throws -> ChannelHTTPClient {
        try ChannelHTTPClient(
            url: url,
            configuration: try ChannelHTTPClient.configuration(
                caPEM: identity.caPEM, certificatePEM: identity.certificatePEM, keyPEM: identity.keyPEM),
            peerName: NodeAuthority.controllerName)
    }

    /// The certificate's validity, in seconds since 1970.
    var validity: (notBefore: Int64, notAfter: Int64)? {
        let pem = state.withLock { $0.identity.certificatePEM }
        guard let certificate = try? Certificate(pemEncoded: pem) else { return nil }
        return (Int64(certificate.notValidBefore.timeIntervalSince1970), Int64(certificate.notValidAfter.timeIntervalSince1970))
    }

    /// Whether two thirds of the certificate's life have passed.
    func needsRenewal(now: Int64) -> Bool {
        guard let validity else { return false }
        return now >= validity.notBefore + (validity.notAfter - validity.notBefore) * 2 / 3
    }

    /// Gets a new certificate for a new key and switches to it.
    func renew() async throws {
        let key = P256.Signing.PrivateKey()
        let answer = try await client.json(
            "POST", "/node/v1/renew", NodeWire.RenewRequest(publicKey: key.publicKey.pemRepresentation),
            as: NodeWire.CertificateResponse.self)
        let identity = Identity(certificatePEM: answer.certificate, keyPEM: key.pemRepresentation, caPEM: answer.caCertificate)
        let client = try Self.client(controllerURL, identity)
        if let files { try Self.save(identity, files) }
        state.withLock { $0 = (identity, client) }
    }

    static func save(_ identity: Identity, _ files: (certificate: String, key: String, ca: String)) throws {
        for (path, text) in [(files.key, identity.keyPEM), (files.certificate, identity.certificatePEM), (files.ca, identity.caPEM)] {
            let temporary = path + ".tmp"
            guard FileManager.default.createFile(atPath: temporary, contents: Data(text.utf8), attributes: [.posixPermissions: 0o600]),
                rename(temporary, path) == 0
            else { throw ChannelHTTPClient.Failure("cannot write \(path)") }
        }
    }
}
