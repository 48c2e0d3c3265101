import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import PluginAPI

/// The few HTTP calls a relying party makes (discovery, JWKS, token), with a timeout; failures become
/// ``PluginError`` `.unavailable` naming the URL (never a secret).
struct OIDCHTTP: Sendable {
    let timeout: TimeInterval

    func json(_ request: URLRequest) async throws -> [String: Any] {
        var request = request
        request.timeoutInterval = timeout
        request.setValue("application/json", forHTTPHeaderField: "Accept")
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        configuration.timeoutIntervalForResource = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let label = request.url.map { "\($0.scheme ?? "")://\($0.host ?? "")\($0.port.map { ":\($0)" } ?? "")\($0.path)" } ?? "?"
        let data: Data
        let response: URLResponse
        do {
            (data, response) = try await session.data(for: request)
        } catch {
            throw PluginError.unavailable("the OpenID provider did not answer at \(label) (\((error as NSError).localizedDescription))")
        }
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        guard data.count <= 1_000_000, let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw PluginError.unavailable("the OpenID provider answered \(status) without JSON at \(label)")
        }
        guard (200..<300).contains(status) else {
            let error = object["error"] as? String ?? "HTTP \(status)"
            throw PluginError.unavailable("the OpenID provider refused at \(label): \(error)")
        }
        return object
    }

    func get(_ url: URL) async throws -> [String: Any] { try await json(URLRequest(url: url)) }
}
