import Foundation
import NIOCore
import NIOPosix
import NIOSSL

/// A small HTTPS/1.1 client for the node channel: one TLS 1.3 connection per request (`Connection: close`), the
/// peer checked against a pinned CA *and* a role name (`controller.portolan.invalid`, or a node's name), so that
/// nothing but the intended party answers. No redirects, bounded bodies, a deadline over the whole exchange.
struct ChannelHTTPClient: Sendable {
    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    let baseHost: String
    let basePort: Int
    let context: NIOSSLContext
    let peerName: String?
    let group: any EventLoopGroup
    var timeout: TimeAmount = .seconds(4)
    static let maxReply = 16 << 20

    /// A client for `url` (`https://HOST:PORT`).
    /// - Parameters:
    ///   - configuration: trust roots, client identity and verification.
    ///   - peerName: the name the peer's certificate must carry, or `nil` with verification off (CA discovery).
    init(url: String, configuration: TLSConfiguration, peerName: String?, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) throws {
        guard let components = URLComponents(string: url), components.scheme == "https", let host = components.host, !host.isEmpty else {
            throw Failure(description: "'\(url)' is not an https:// URL")
        }
        baseHost = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        basePort = components.port ?? 443
        context = try NIOSSLContext(configuration: configuration)
        self.peerName = peerName
        self.group = group
    }

    /// TLS 1.3, trusting only `caPEM`, presenting `certificatePEM`/`keyPEM` when given.
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
        let deadline = timeout ?? self.timeout
        let promise = group.next().makePromise(of: [UInt8].self)
        let collector = ReplyCollector(promise: promise)
        let context = self.context
        let serverName = peerName ?? (IPAddressCheck.isAddress(baseHost) ? nil : baseHost)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(.seconds(2))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let tls = try NIOSSLClientHandler(context: context, serverHostname: serverName)
                    try channel.pipeline.syncOperations.addHandlers([tls, collector])
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: baseHost, port: basePort).get()
        } catch {
            let failure = Failure(description: "cannot reach \(baseHost):\(basePort): \(error)")
            promise.fail(failure)
            throw failure
        }
        let timer = channel.eventLoop.scheduleTask(in: deadline) { [baseHost, basePort] in
            collector.finish(.failure(Failure(description: "no answer from \(baseHost):\(basePort) within \(deadline.nanoseconds / 1_000_000) ms")))
            channel.close(promise: nil)
        }
        var head = "\(method) \(path) HTTP/1.1\r\nHost: \(baseHost)\r\nConnection: close\r\nAccept: application/json\r\n"
        if let body { head += "Content-Type: application/json\r\nContent-Length: \(body.count)\r\n" }
        head += "\r\n"
        var buffer = channel.allocator.buffer(capacity: head.utf8.count + (body?.count ?? 0))
        buffer.writeString(head)
        if let body { buffer.writeBytes(body) }
        channel.writeAndFlush(buffer, promise: nil)
        defer { timer.cancel() }
        let raw = try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return try Self.parse(raw)
    }

    /// Sends JSON and decodes JSON; a non-2xx answer throws ``HTTPStatusError`` with the server's `error`.
    func json<Answer: Decodable>(_ method: String, _ path: String, _ body: (some Encodable)?, as: Answer.Type, timeout: TimeAmount? = nil) async throws -> Answer {
        let reply = try await send(method, path, body: try body.map { Array(try JSONEncoder().encode($0)) }, timeout: timeout)
        try HTTPStatusError.check(reply)
        return try JSONDecoder().decode(Answer.self, from: Data(reply.body))
    }

    static func parse(_ raw: [UInt8]) throws -> Reply {
        guard let split = raw.firstRange(of: Array("\r\n\r\n".utf8)) else { throw Failure(description: "a malformed HTTP answer") }
        let head = String(decoding: raw[..<split.lowerBound], as: UTF8.self)
        var body = Array(raw[split.upperBound...])
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure(description: "a malformed HTTP status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = try dechunk(body)
        } else if let length = headers["content-length"].flatMap(Int.init), length <= body.count {
            body = Array(body.prefix(length))
        }
        return Reply(status: status, body: body)
    }

    static func dechunk(_ data: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let end = data[index...].firstRange(of: [13, 10]) else { throw Failure(description: "a malformed chunk") }
            let sizeText = String(decoding: data[index..<end.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.trimmingCharacters(in: .whitespaces), radix: 16) else { throw Failure(description: "a malformed chunk size") }
            if size == 0 { break }
            let start = end.upperBound
            guard start + size <= data.count else { throw Failure(description: "a truncated chunk") }
            output += data[start..<start + size]
            index = start + size + 2
        }
        return output
    }
}

/// Collects the whole answer until the server closes the connection.
private final class ReplyCollector: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let promise: EventLoopPromise<[UInt8]>
    private var bytes: [UInt8] = []
    private var done = false

    init(promise: EventLoopPromise<[UInt8]>) { self.promise = promise }

    /// Completes the promise once (called on the channel's event loop only).
    func finish(_ result: Result<[UInt8], any Error>) {
        guard !done else { return }
        done = true
        promise.completeWith(result)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        bytes += buffer.readableBytesView
        if bytes.count > ChannelHTTPClient.maxReply {
            finish(.failure(ChannelHTTPClient.Failure(description: "the answer is too large")))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(bytes.isEmpty ? .failure(ChannelHTTPClient.Failure(description: "the connection closed without an answer")) : .success(bytes))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS close without close_notify after a complete answer is the server's business, not a failure.
        if let error = error as? NIOSSLError, case .uncleanShutdown = error, !bytes.isEmpty { return }
        finish(.failure(ChannelHTTPClient.Failure(description: "\(error)")))
        context.close(promise: nil)
    }
}

/// A non-2xx answer of the node channel, with its `error` text.
struct HTTPStatusError: Error, CustomStringConvertible {
    let status: Int
    let message: String
    var description: String { "HTTP \(status): \(message)" }

    static func check(_ reply: ChannelHTTPClient.Reply) throws {
        guard !(200..<300).contains(reply.status) else { return }
        let message = (try? JSONDecoder().decode(NodeWire.ErrorBody.self, from: Data(reply.body)).error)
            ?? String(decoding: reply.body.prefix(200), as: UTF8.self)
        throw HTTPStatusError(status: reply.status, message: message)
    }
}

enum IPAddressCheck {
    static func isAddress(_ text: String) -> Bool { text.contains(":") || text.allSatisfy { $0.isNumber || $0 == "." } }
}
