import OneShotHTTP
import Foundation
import Synchronization

/// The node's connect and disconnect events not yet acknowledged by the controller, kept on disk
/// (`events.jsonl`, one JSON object per line, flushed with fsync) so that none is lost across an unreachable
/// controller or a restart of the daemon. Delivered in order; removed only after the controller said it logged them.
final class EventJournal: Sendable {
    private let path: String
    private let pending = Mutex<[NodeEvent]>([])

    init(directory: String) throws {
        path = "\(directory)/events.jsonl"
        if let data = FileManager.default.contents(atPath: path) {
            let decoder = JSONDecoder()
            let events = data.split(separator: 0x0A).compactMap { try? decoder.decode(NodeEvent.self, from: Data($0)) }
            pending.withLock { $0 = events }
        }
    }

    var count: Int { pending.withLock { $0.count } }

    /// Appends and flushes one event.
    func append(_ event: NodeEvent) throws {
        var line = try JSONEncoder().encode(event)
        line.append(0x0A)
        try pending.withLock { events in
            if !FileManager.default.fileExists(atPath: path) {
                FileManager.default.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
            }
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            defer { try? handle.close() }
            try handle.seekToEnd()
            try handle.write(contentsOf: line)
            try handle.synchronize()
            events.append(event)
        }
    }

    /// The oldest `limit` undelivered events.
    func batch(limit: Int = 500) -> [NodeEvent] { pending.withLock { Array($0.prefix(limit)) } }

    /// Drops the first `count` events (the controller logged them) and rewrites the file.
    func acknowledge(_ count: Int) throws {
        try pending.withLock { events in
            events.removeFirst(min(count, events.count))
            let encoder = JSONEncoder()
            var data = Data()
            for event in events {
                data.append(try encoder.encode(event))
                data.append(0x0A)
            }
            let temporary = path + ".tmp"
            FileManager.default.createFile(atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
            guard rename(temporary, path) == 0 else { throw ChannelHTTPClient.Failure("cannot replace \(path)") }
        }
    }
}
