import Logging
import NIOCore
import NIOPosix
import PluginAPI

/// Sends an Access-Request over UDP and waits for the answer: each server in turn, `retries` extra tries each,
/// `timeout` per try. Runs on NIO's event loops: nothing blocks, a dead server costs only time.
struct RADIUSClient: Sendable {
    enum Outcome: Sendable, Equatable {
        case accepted(RADIUSPacket)
        case rejected
        /// Access-Challenge (a second factor the server wants): Portolan cannot ask it, so it counts as a refusal.
        case challenged
    }

    let servers: [RADIUSServer]
    let timeout: Duration
    let retries: Int
    let nasIdentifier: String
    let requireMessageAuthenticator: Bool

    /// - Throws: ``PluginError`` `.unavailable` naming the servers when none answered; `.invalidRequest` for
    ///   credentials RADIUS cannot carry.
    func authenticate(userName: String, password: String, logger: Logger) async throws -> Outcome {
        var problems: [String] = []
        for server in servers {
            for attempt in 0...retries {
                var generator = SystemRandomNumberGenerator()
                let identifier = UInt8.random(in: 0...255, using: &generator)
                let authenticator = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
                let request: [UInt8]
                do {
                    request = try RADIUSPacket.accessRequest(
                        identifier: identifier, userName: userName, password: password, nasIdentifier: nasIdentifier,
                        secret: server.secret, requestAuthenticator: authenticator)
                } catch let error as RADIUSPacket.EncodingError {
                    guard case .tooLong(let why) = error else { throw error }
                    throw PluginError.invalidRequest(why)
                }
                do {
                    guard let answer = try await exchange(request, with: server) else {
                        logger.info("RADIUS server did not answer", metadata: ["radius.server": "\(server.label)", "attempt": "\(attempt + 1)"])
                        problems.append("\(server.label): no answer within \(timeout)")
                        continue
                    }
                    let packet = try RADIUSPacket.decodeAnswer(
                        answer, identifier: identifier, requestAuthenticator: authenticator, secret: server.secret,
                        requireMAC: requireMessageAuthenticator)
                    switch packet.code {
                    case .accessAccept: return .accepted(packet)
                    case .accessReject: return .rejected
                    case .accessChallenge: return .challenged
                    case .accessRequest: throw RADIUSPacket.DecodingError.malformed("Access-Request as an answer")
                    }
                } catch let error as RADIUSPacket.DecodingError {
                    logger.info("RADIUS answer refused", metadata: ["radius.server": "\(server.label)", "error": "\(error)"])
                    problems.append("\(server.label): \(error)")
                    break  // a bad secret will not get better by retrying; try the next server
                } catch let error as IOError {
                    problems.append("\(server.label): \(error.description)")
                    break
                } catch let error as SocketAddressError {
                    problems.append("\(server.label): \(error)")
                    break
                }
            }
        }
        throw PluginError.unavailable("no RADIUS server answered (\(problems.joined(separator: "; ")))")
    }

    /// Sends `request` and returns the first datagram that comes back from `server`, or `nil` after `timeout`.
    private func exchange(_ request: [UInt8], with server: RADIUSServer) async throws -> [UInt8]? {
        let address = try SocketAddress.makeAddressResolvingHost(server.host, port: server.port)
        let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: address.protocol == .inet6 ? "::" : "0.0.0.0", port: 0) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<AddressedEnvelope<ByteBuffer>, AddressedEnvelope<ByteBuffer>>(
                        wrappingChannelSynchronously: channel)
                }
            }
        let timeout = self.timeout
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(AddressedEnvelope(remoteAddress: address, data: ByteBuffer(bytes: request)))
            return try await withThrowingTaskGroup(of: [UInt8]?.self) { group in
                group.addTask {
                    for try await envelope in inbound where envelope.remoteAddress == address {
                        return Array(envelope.data.readableBytesView)
                    }
                    return nil
                }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                let first = try await group.next() ?? nil
                group.cancelAll()
                return first
            }
        }
    }
}
