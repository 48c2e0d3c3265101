import Foundation
import OneShotHTTP

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
