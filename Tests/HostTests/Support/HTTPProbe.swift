import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

import TestSupport

/// A GET over loopback for tests that talk to a running server: URLSession for `http://`, curl for `https://`
/// (the server's certificate is self-signed; `caFile` pins a test CA, otherwise it is not verified).
enum HTTPProbe {
    struct Response: Sendable {
        var status: Int
        var body: String
    }

    static func get(_ url: String, timeout: TimeInterval = 10, caFile: String? = nil, headers: [String] = []) async throws -> Response {
        if url.hasPrefix("https://") {
            let marker = "\n--status:"
            var arguments = ["-sS", "--max-time", "\(Int(timeout))", "-w", "\(marker)%{http_code}"]
            arguments += caFile.map { ["--cacert", $0] } ?? ["-k"]
            arguments += headers.flatMap { ["-H", $0] }
            let result = try Shell.run("curl", arguments + [url])
            guard result.status == 0, let range = result.output.range(of: marker, options: .backwards) else {
                throw URLError(.cannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: result.output])
            }
            return Response(status: Int(result.output[range.upperBound...]) ?? 0, body: String(result.output[..<range.lowerBound]))
        }
        return try await plainGet(url, timeout: timeout)
    }

    /// A form POST over HTTPS with curl (not verifying the server; loopback tests only).
    static func post(_ url: String, form: [(String, String)], headers: [String] = [], timeout: TimeInterval = 10) throws -> Response {
        let marker = "\n--status:"
        var arguments = ["-sS", "-k", "-X", "POST", "--max-time", "\(Int(timeout))", "-w", "\(marker)%{http_code}"]
        arguments += headers.flatMap { ["-H", $0] }
        arguments += form.flatMap { ["--data-urlencode", "\($0.0)=\($0.1)"] }
        let result = try Shell.run("curl", arguments + [url])
        guard result.status == 0, let range = result.output.range(of: marker, options: .backwards) else {
            throw URLError(.cannotConnectToHost, userInfo: [NSLocalizedDescriptionKey: result.output])
        }
        return Response(status: Int(result.output[range.upperBound...]) ?? 0, body: String(result.output[..<range.lowerBound]))
    }

    private static func plainGet(_ url: String, timeout: TimeInterval) async throws -> Response {
        var request = URLRequest(url: try require(URL(string: url)))
        request.timeoutInterval = timeout
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = timeout
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let (data, response) = try await session.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return Response(status: status, body: String(decoding: data, as: UTF8.self))
    }
}

private func require<T>(_ value: T?) throws -> T {
    guard let value else { throw URLError(.badURL) }
    return value
}
