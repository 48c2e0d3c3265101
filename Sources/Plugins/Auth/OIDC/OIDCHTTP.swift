import Foundation
import NIOCore
import NIOSSL
import OneShotHTTP
import PluginAPI

/// The few HTTP calls a relying party makes (discovery, JWKS, token), with a timeout; failures become
/// ``PluginError`` `.unavailable` naming the URL (never a secret). HTTPS verifies against the system's trust store.
struct OIDCHTTP: Sendable {
    let timeout: TimeInterval
    private let tls: NIOSSLContext?

    init(timeout: TimeInterval) {
        self.timeout = timeout
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.minimumTLSVersion = .tlsv12
        tls = try? NIOSSLContext(configuration: configuration)
    }

    func get(_ url: URL) async throws -> [String: Any] {
        try await json("GET", url, headers: [], body: nil)
    }

    /// A form POST (the token request).
    func post(_ url: URL, form: String, authorization: String) async throws -> [String: Any] {
        try await json(
            "POST", url, headers: [("Content-Type", "application/x-www-form-urlencoded"), ("Authorization", authorization)],
            body: Array(form.utf8))
    }

    private func json(_ method: String, _ url: URL, headers: [(String, String)], body: [UInt8]?) async throws -> [String: Any] {
        let label = "\(url.scheme ?? "")://\(url.host ?? "")\(url.port.map { ":\($0)" } ?? "")\(url.path)"
        guard let scheme = url.scheme, scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty else {
            throw PluginError.unavailable("the OpenID provider URL \(label) is not http(s)")
        }
        let secure = scheme == "https"
        guard !secure || tls != nil else { throw PluginError.unavailable("no TLS trust store for \(label)") }
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        let isAddress = bare.contains(":") || bare.allSatisfy { $0.isNumber || $0 == "." }
        let client = OneShotHTTPClient(
            host: bare, port: url.port ?? (secure ? 443 : 80), tls: secure ? tls : nil, serverName: isAddress ? nil : bare)
        var target = url.path.isEmpty ? "/" : url.path
        if let query = url.query { target += "?\(query)" }
        let reply: OneShotHTTPClient.Reply
        do {
            reply = try await client.send(
                method, target, headers: [("Accept", "application/json")] + headers, body: body,
                timeout: .milliseconds(Int64(timeout * 1000)))
        } catch {
            throw PluginError.unavailable("the OpenID provider did not answer at \(label) (\(error))")
        }
        guard reply.body.count <= 1_000_000, let object = try? JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any] else {
            throw PluginError.unavailable("the OpenID provider answered \(reply.status) without JSON at \(label)")
        }
        guard (200..<300).contains(reply.status) else {
            let error = object["error"] as? String ?? "HTTP \(reply.status)"
            throw PluginError.unavailable("the OpenID provider refused at \(label): \(error)")
        }
        return object
    }
}
