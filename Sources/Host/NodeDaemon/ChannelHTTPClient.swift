import Foundation
import NIOCore
import NIOSSL
import OneShotHTTP

/// The node channel's HTTPS client: TLS 1.3, the peer checked against a pinned CA *and* a role name
/// (`controller.portolan.invalid`, or a node's name), so that nothing but the intended party answers; JSON in and out.
struct ChannelHTTPClient: Sendable {
    typealias Reply = OneShotHTTPClient.Reply
    typealias Failure = OneShotHTTPClient.Failure

    let client: OneShotHTTPClient
    var timeout: TimeAmount = .seconds(4)

    /// A client for `url` (`https://HOST:PORT`).
    /// - Parameters:
    ///   - configuration: trust roots, client identity and verification.
    ///   - peerName: the name the peer's certificate must carry, or `nil` with verification off (CA discovery).
    init(url: String, configuration: TLSConfiguration, peerName: String?) throws {
        guard let components = URLComponents(string: url), components.scheme == "https", let host = components.host, !host.isEmpty else {
            throw Failure("'\(url)' is not an https:// URL")
        }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let isAddress = bare.contains(":") || bare.allSatisfy { $0.isNumber || $0 == "." }
        client = OneShotHTTPClient(
            host: bare, port: components.port ?? 443, tls: try NIOSSLContext(configuration: configuration),
            serverName: peerName ?? (isAddress ? nil : bare))
    }

    /// TLS 1.3, trusting only `caPEM` (or nothing checked, for CA discovery), presenting `certificatePEM`/`keyPEM`.
    static func configuration(caPEM: String?, certificatePEM: String? = nil, keyPEM: String? = nil) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv13
        if let caPEM {
            configuration.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
            configuration.certificateVerification = .fullVerification
        } else {
            configuration.certificateVerification = .none
        }
        if let certificatePEM, let keyPEM {
            configuration.certificateChain = try NIOSSLCertificate.fromPEMBytes(Array(certificatePEM.utf8)).map { .certificate($0) }
            configuration.privateKey = .privateKey(try NIOSSLPrivateKey(bytes: Array(keyPEM.utf8), format: .pem))
        }
        return configuration
    }

    func send(_ method: String, _ path: String, body: [UInt8]? = nil, timeout: TimeAmount? = nil) async throws -> Reply {
        let headers = [("Accept", "application/json")] + (body == nil ? [] : [("Content-Type", "application/json")])
        return try await client.send(method, path, headers: headers, body: body, timeout: timeout ?? self.timeout)
    }

    /// Sends JSON and decodes JSON; a non-2xx answer throws ``HTTPStatusError`` with the server's `error`.
    func json<Answer: Decodable>(_ method: String, _ path: String, _ body: (some Encodable)?, as: Answer.Type, timeout: TimeAmount? = nil) async throws -> Answer {
        let reply = try await send(method, path, body: try body.map { Array(try JSONEncoder().encode($0)) }, timeout: timeout)
        try HTTPStatusError.check(reply)
        return try JSONDecoder().decode(Answer.self, from: Data(reply.body))
    }
}
