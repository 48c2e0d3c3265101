public import NIOCore
public import NIOPosix
public import NIOSSL

/// A small HTTP/1.1 client for a few calls that matter: one connection per request (`Connection: close`), plain TCP
/// or TLS with the caller's context and verified name, no redirects, a bounded answer, one deadline over the whole
/// exchange, cancellable. Used by the node channel (mutual TLS) and the OpenID Connect plugin, so that Portolan
/// needs no libcurl.
public struct OneShotHTTPClient: Sendable {
    /// An answer: status, header fields (names lower-cased) and body.
    public struct Reply: Sendable {
        public var status: Int
        public var headers: [String: String]
        public var body: [UInt8]
    }

    /// Why a request got no answer.
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public init(_ description: String) { self.description = description }
    }

    public let host: String
    public let port: Int
    /// TLS, or `nil` for plain HTTP.
    public let tls: NIOSSLContext?
    /// The name the server's certificate must carry (and SNI), or `nil` for none (an IP address).
    public let serverName: String?
    public let group: any EventLoopGroup
    public static let maxReply = 16 << 20

    public init(host: String, port: Int, tls: NIOSSLContext?, serverName: String?, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.host = host
        self.port = port
        self.tls = tls
        self.serverName = serverName
        self.group = group
    }

    /// Sends one request; `headers` must not hold line breaks.
    public func send(
        _ method: String, _ target: String, headers: [(String, String)] = [], body: [UInt8]? = nil, timeout: TimeAmount
    ) async throws -> Reply {
        let promise = group.next().makePromise(of: [UInt8].self)
        let collector = ReplyCollector(promise: promise)
        let (tls, serverName) = (self.tls, self.serverName)
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(min(timeout, .seconds(2)))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls { try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: serverName)) }
                    try channel.pipeline.syncOperations.addHandler(collector)
                }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: host, port: port).get()
        } catch {
            let failure = Failure("cannot reach \(host):\(port): \(error)")
            promise.fail(failure)
            throw failure
        }
        let (host, port) = (self.host, self.port)
        let timer = channel.eventLoop.scheduleTask(in: timeout) {
            collector.finish(.failure(Failure("no answer from \(host):\(port) within \(timeout.nanoseconds / 1_000_000) ms")))
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        var head = "\(method) \(target) HTTP/1.1\r\nHost: \(host.contains(":") ? "[\(host)]" : host):\(port)\r\nConnection: close\r\n"
        for (name, value) in headers { head += "\(name): \(value)\r\n" }
        if let body { head += "Content-Length: \(body.count)\r\n" }
        head += "\r\n"
        var buffer = channel.allocator.buffer(capacity: head.utf8.count + (body?.count ?? 0))
        buffer.writeString(head)
        if let body { buffer.writeBytes(body) }
        channel.writeAndFlush(buffer, promise: nil)
        let raw = try await withTaskCancellationHandler {
            try await promise.futureResult.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return try Self.parse(raw)
    }

    static func parse(_ raw: [UInt8]) throws -> Reply {
        guard let split = raw.firstRange(of: Array("\r\n\r\n".utf8)) else { throw Failure("a malformed HTTP answer") }
        let lines = String(decoding: raw[..<split.lowerBound], as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        let statusParts = lines.first?.split(separator: " ") ?? []
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw Failure("a malformed HTTP status line") }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = String(line[line.index(after: colon)...].drop { $0 == " " || $0 == "\t" })
        }
        var body = Array(raw[split.upperBound...])
        if headers["transfer-encoding"]?.lowercased() == "chunked" {
            body = try dechunk(body)
        } else if let length = headers["content-length"].flatMap({ Int($0) }), length <= body.count {
            body = Array(body.prefix(length))
        }
        return Reply(status: status, headers: headers, body: body)
    }

    static func dechunk(_ data: [UInt8]) throws -> [UInt8] {
        var output: [UInt8] = []
        var index = 0
        while index < data.count {
            guard let end = data[index...].firstRange(of: [13, 10]) else { throw Failure("a malformed chunk") }
            let sizeText = String(decoding: data[index..<end.lowerBound], as: UTF8.self).split(separator: ";").first ?? ""
            guard let size = Int(sizeText.filter { $0 != " " }, radix: 16) else { throw Failure("a malformed chunk size") }
            if size == 0 { break }
            let start = end.upperBound
            guard start + size <= data.count else { throw Failure("a truncated chunk") }
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
        bytes += unwrapInboundIn(data).readableBytesView
        if bytes.count > OneShotHTTPClient.maxReply {
            finish(.failure(OneShotHTTPClient.Failure("the answer is larger than \(OneShotHTTPClient.maxReply) bytes")))
            context.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        finish(bytes.isEmpty ? .failure(OneShotHTTPClient.Failure("the connection closed without an answer")) : .success(bytes))
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A TLS close without close_notify after a complete answer is the server's business, not a failure.
        if let error = error as? NIOSSLError, case .uncleanShutdown = error, !bytes.isEmpty { return }
        finish(.failure(OneShotHTTPClient.Failure("\(error)")))
        context.close(promise: nil)
    }
}
