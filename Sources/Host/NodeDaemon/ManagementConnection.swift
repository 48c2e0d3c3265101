import OneShotHTTP
import Foundation
import NIOCore
import NIOPosix

/// One OpenVPN process's management interface over its unix socket: a stream of lines in, commands out.
final class ManagementConnection: Sendable {
    let lines: AsyncStream<String>
    private let channel: any Channel

    private init(channel: any Channel, lines: AsyncStream<String>) {
        self.channel = channel
        self.lines = lines
    }

    /// Connects to `socketPath`, retrying until `deadline` (OpenVPN makes the socket a moment after it starts).
    static func connect(socketPath: String, until deadline: ContinuousClock.Instant) async throws -> ManagementConnection {
        var lastError: (any Error)?
        while ContinuousClock.now < deadline {
            let (lines, sink) = AsyncStream.makeStream(of: String.self)
            do {
                let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .channelInitializer { channel in
                        channel.eventLoop.makeCompletedFuture {
                            try channel.pipeline.syncOperations.addHandler(LineSplitter(sink: sink))
                        }
                    }
                    .connect(unixDomainSocketPath: socketPath).get()
                return ManagementConnection(channel: channel, lines: lines)
            } catch {
                sink.finish()
                lastError = error
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        throw ChannelHTTPClient.Failure("no management socket at \(socketPath): \(lastError.map { "\($0)" } ?? "timeout")")
    }

    /// Sends one command line (no line breaks inside).
    func send(_ command: String) {
        let clean = command.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "\r", with: " ")
        channel.writeAndFlush(ByteBuffer(string: clean + "\n"), promise: nil)
    }

    func close() {
        channel.close(promise: nil)
    }
}

/// Splits the byte stream into lines (`\r\n` or `\n`); a line longer than 64 KiB is cut.
private final class LineSplitter: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    private let sink: AsyncStream<String>.Continuation
    private var partial: [UInt8] = []

    init(sink: AsyncStream<String>.Continuation) { self.sink = sink }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        for byte in unwrapInboundIn(data).readableBytesView {
            if byte == 0x0A {
                if partial.last == 0x0D { partial.removeLast() }
                sink.yield(String(decoding: partial, as: UTF8.self))
                partial.removeAll(keepingCapacity: true)
            } else if partial.count < 65_536 {
                partial.append(byte)
            }
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        sink.finish()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        sink.finish()
        context.close(promise: nil)
    }
}
