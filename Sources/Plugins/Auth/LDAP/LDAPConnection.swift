import Logging
import NIOCore
import NIOPosix
import NIOSSL
import PluginAPI

/// One LDAP connection for one login: TCP (or TLS for `ldaps://`), BER framing, simple binds and searches, with a
/// deadline over the whole exchange (an unreachable or stalled server costs at most `timeout`).
struct LDAPConnection {
    struct Entry: Sendable, Equatable {
        var dn: String
        var attributes: [String: [String]]
    }

    struct Failure: Error, CustomStringConvertible {
        var resultCode: Int
        var message: String
        var description: String { "LDAP result \(resultCode): \(message)" }
    }

    static let success = 0
    static let invalidCredentials = 49

    /// Connects, runs `body` with a session, and closes; everything within `timeout`.
    static func withSession<Result: Sendable>(
        host: String, port: Int, tls: NIOSSLContext?, startTLS: Bool = false, timeout: Duration,
        _ body: @escaping @Sendable (inout Session) async throws -> Result
    ) async throws -> Result {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.milliseconds(Int64(timeout / .milliseconds(1))))
            .connect(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let tls, !startTLS {
                        let hostname = IPNetwork.parseAddress(host) == nil ? host : nil
                        try channel.pipeline.syncOperations.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: hostname))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(BERFrameDecoder()))
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        let underlying = channel.channel
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Result?.self) { group in
                group.addTask {
                    var session = Session(inbound: inbound.makeAsyncIterator(), outbound: outbound)
                    if startTLS, let tls {
                        try await session.startTLS(tls, host: host, channel: underlying)
                    }
                    let result = try await body(&session)
                    try? await session.unbind()
                    return result
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                guard let first = try await group.next(), let result = first else {
                    underlying.close(promise: nil)
                    group.cancelAll()
                    throw Failure(resultCode: -1, message: "no answer within \(timeout)")
                }
                group.cancelAll()
                return result
            }
        }
    }

    /// The operations of one connection, in order.
    struct Session {
        var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        var nextID = 1

        /// A simple bind. - Returns: the result code (0 success, 49 invalid credentials).
        mutating func bind(dn: String, password: String) async throws -> Int {
            let id = try await send(.constructed(BERElement.application(0), [
                .integer(3), .string(dn), BERElement(tag: BERElement.context(0), value: Array(password.utf8)),
            ]))
            let response = try await receive(id: id)
            guard response.tag == BERElement.application(1) else { throw BERElement.DecodingError.unexpected("not a BindResponse") }
            return try Self.result(response).code
        }

        /// A search. - Throws: ``Failure`` when the result is not success.
        mutating func search(base: String, subtree: Bool, filter: BERElement, attributes: [String], sizeLimit: Int = 2) async throws -> [Entry] {
            let id = try await send(.constructed(BERElement.application(3), [
                .string(base), .integer(subtree ? 2 : 0, tag: BERElement.enumerated), .integer(0, tag: BERElement.enumerated),
                .integer(sizeLimit), .integer(10), .boolean(false), filter,
                .constructed(BERElement.sequence, attributes.map { .string($0) }),
            ]))
            var entries: [Entry] = []
            while true {
                let response = try await receive(id: id)
                switch response.tag {
                case BERElement.application(4):
                    let parts = try response.children
                    guard parts.count >= 2 else { throw BERElement.DecodingError.unexpected("short SearchResultEntry") }
                    var attributes: [String: [String]] = [:]
                    for attribute in try parts[1].children {
                        let pair = try attribute.children
                        guard pair.count == 2 else { continue }
                        attributes[pair[0].text.lowercased(), default: []] += try pair[1].children.map(\.text)
                    }
                    entries.append(Entry(dn: parts[0].text, attributes: attributes))
                case BERElement.application(19):
                    continue  // a referral: not followed
                case BERElement.application(5):
                    let (code, message) = try Self.result(response)
                    if code == LDAPConnection.success || (code == 4 && entries.count >= sizeLimit) { return entries }
                    throw Failure(resultCode: code, message: message)
                default:
                    throw BERElement.DecodingError.unexpected("tag \(response.tag) during a search")
                }
            }
        }

        /// RFC 4511 §4.14: asks for TLS on the plain connection, then puts TLS in front of everything else.
        mutating func startTLS(_ tls: NIOSSLContext, host: String, channel: any Channel) async throws {
            let id = try await send(.constructed(BERElement.application(23), [
                BERElement(tag: BERElement.context(0), value: Array("1.3.6.1.4.1.1466.20037".utf8))
            ]))
            let response = try await receive(id: id)
            guard response.tag == BERElement.application(24) else { throw BERElement.DecodingError.unexpected("not an ExtendedResponse") }
            let (code, message) = try Self.result(response)
            guard code == LDAPConnection.success else { throw Failure(resultCode: code, message: "StartTLS refused: \(message)") }
            let hostname = IPNetwork.parseAddress(host) == nil ? host : nil
            try await channel.pipeline.addHandler(try NIOSSLClientHandler(context: tls, serverHostname: hostname), position: .first)
        }

        mutating func unbind() async throws {
            _ = try await send(BERElement(tag: BERElement.application(2, constructed: false), value: []))
        }

        private mutating func send(_ operation: BERElement) async throws -> Int {
            let id = nextID
            nextID += 1
            let message = BERElement.constructed(BERElement.sequence, [.integer(id), operation])
            try await outbound.write(ByteBuffer(bytes: message.encoded()))
            return id
        }

        private mutating func receive(id: Int) async throws -> BERElement {
            while let frame = try await inbound.next() {
                let message = try BERElement.decodeAll(Array(frame.readableBytesView)[...])
                guard message.count == 1, message[0].tag == BERElement.sequence else { throw BERElement.DecodingError.unexpected("not an LDAPMessage") }
                let parts = try message[0].children
                guard parts.count >= 2, parts[0].tag == BERElement.integer else { throw BERElement.DecodingError.unexpected("no message id") }
                if parts[0].intValue == 0 { throw Failure(resultCode: -1, message: "the server ended the connection (notice of disconnection)") }
                if parts[0].intValue == id { return parts[1] }
            }
            throw Failure(resultCode: -1, message: "the server closed the connection")
        }

        private static func result(_ response: BERElement) throws -> (code: Int, message: String) {
            let parts = try response.children
            guard parts.count >= 3 else { throw BERElement.DecodingError.unexpected("short LDAPResult") }
            return (parts[0].intValue, parts[2].text)
        }
    }
}

/// Cuts the byte stream into whole BER elements (LDAPMessages).
struct BERFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let length = try BERElement.frameLength(buffer.readableBytesView), let frame = buffer.readSlice(length: length) else {
            return .needMoreData
        }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}
