import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import PluginAPI
import Testing

@testable import Host

/// Drives the OAuth and API routes of an app under test the way an eduVPN app and its browser do.
struct OAuthTestClient {
    let client: any TestClientProtocol
    let runtime: HostRuntime
    static let clientID = "org.eduvpn.app.linux"
    static let redirectURI = "http://127.0.0.1:4711/callback"

    struct Reply {
        var status: HTTPResponse.Status
        var headers: HTTPFields
        var body: String
        var json: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any] ?? [:] }
        var error: String? { json["error"] as? String }
    }

    func send(_ method: HTTPRequest.Method, _ uri: String, form: [(String, String)]? = nil, headers: HTTPFields = [:]) async throws -> Reply {
        var headers = headers
        var body: ByteBuffer?
        if let form {
            headers[.contentType] = "application/x-www-form-urlencoded"
            body = ByteBuffer(string: Self.encode(form))
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            Reply(status: response.status, headers: response.headers, body: String(buffer: response.body))
        }
    }

    func bearer(_ token: String, _ extra: HTTPFields = [:]) -> HTTPFields {
        var headers = extra
        headers[.authorization] = "Bearer \(token)"
        return headers
    }

    /// An approved authorization's code, issued as the consent page would (no browser round trips).
    func code(user: String = "alice", verifier: String = Self.verifier, clientID: String = Self.clientID,
        redirectURI: String = Self.redirectURI) async throws -> String {
        let service = ApplicationBuilder.tokenService(runtime)
        let client = try #require(OAuthClientRegistry(configured: runtime.configuration.oauth.clients).client(clientID))
        return try await service.issueCode(
            userID: user, client: client, redirectURI: redirectURI, codeChallenge: Self.challenge(verifier), scope: "config")
    }

    /// Exchanges a fresh code; returns the token response.
    func tokens(user: String = "alice") async throws -> (access: String, refresh: String) {
        let reply = try await send(.post, "/oauth/token", form: [
            ("grant_type", "authorization_code"), ("code", try await code(user: user)), ("redirect_uri", Self.redirectURI),
            ("client_id", Self.clientID), ("code_verifier", Self.verifier),
        ])
        #expect(reply.status == .ok, "\(reply.body)")
        return (try #require(reply.json["access_token"] as? String), try #require(reply.json["refresh_token"] as? String))
    }

    static let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-0123456789"

    static func challenge(_ verifier: String) -> String {
        Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    static func encode(_ fields: [(String, String)]) -> String {
        let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
        return fields.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }
            .joined(separator: "&")
    }

    /// The value of a hidden input in an HTML page.
    static func hiddenValue(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"") else { return nil }
        let rest = html[range.upperBound...]
        return rest.firstIndex(of: "\"").map { String(rest[..<$0]).replacingOccurrences(of: "&amp;", with: "&") }
    }

    static func cookie(_ name: String, in headers: HTTPFields) -> String? {
        for value in headers[values: .setCookie] where value.hasPrefix("\(name)=") {
            return String(value.dropFirst(name.count + 1).prefix { $0 != ";" })
        }
        return nil
    }
}
