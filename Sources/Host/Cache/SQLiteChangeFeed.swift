import Logging
import PluginAPI
import Synchronization

/// The ``ChangeFeed`` of the embedded store: messages of this process go straight to its subscriber; writes by
/// another process (a `portolan user disable` beside a running server) show up as a new `PRAGMA data_version`,
/// polled every `interval`, and flush everything.
final class SQLiteChangeFeed: ChangeFeed {
    private let store: any SQLStore
    private let interval: Duration
    private let subscriber = Mutex<(@Sendable (ChangeMessage) -> Void)?>(nil)

    init(store: any SQLStore, interval: Duration = .milliseconds(250)) {
        self.store = store
        self.interval = interval
    }

    func publish(_ message: ChangeMessage, on executor: any SQLExecutor) async throws {
        subscriber.withLock { $0 }?(message)
    }

    func run(deliver: @escaping @Sendable (ChangeMessage) -> Void, healthy: @escaping @Sendable (Bool) -> Void) async {
        subscriber.withLock { $0 = deliver }
        defer { subscriber.withLock { $0 = nil } }
        healthy(true)
        var last = try? await dataVersion()
        while !Task.isCancelled {
            try? await Task.sleep(for: interval)
            guard let version = try? await dataVersion() else { continue }
            if version != last { deliver(.everything) }
            last = version
        }
    }

    private func dataVersion() async throws -> Int64? {
        try await store.first("PRAGMA data_version").map { try $0.int("data_version") }
    }
}
