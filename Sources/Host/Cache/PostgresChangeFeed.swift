import Logging
import PluginAPI
import PostgresNIO
import Synchronization

/// The ``ChangeFeed`` between replicas: `pg_notify` inside the writing transaction (delivered when it commits), and
/// one dedicated connection per replica that `LISTEN`s. While that connection is down the feed reports itself
/// unhealthy, so caches fall back to the store; after reconnecting it delivers `.everything`.
final class PostgresChangeFeed: ChangeFeed {
    static let channel = "portolan_changes"
    private let url: DatabaseURL
    private let logger: Logger
    private let subscriber = Mutex<(@Sendable (ChangeMessage) -> Void)?>(nil)

    init(url: DatabaseURL, logger: Logger) {
        self.url = url
        self.logger = logger
    }

    func publish(_ message: ChangeMessage, on executor: any SQLExecutor) async throws {
        _ = try await executor.query("SELECT pg_notify(\(Self.channel), \(message.text)) AS sent")
        subscriber.withLock { $0 }?(message)
    }

    func run(deliver: @escaping @Sendable (ChangeMessage) -> Void, healthy: @escaping @Sendable (Bool) -> Void) async {
        subscriber.withLock { $0 = deliver }
        defer { subscriber.withLock { $0 = nil } }
        healthy(false)
        var delay = Duration.milliseconds(100)
        while !Task.isCancelled {
            do {
                let connection = try await PostgresConnection.connect(
                    configuration: try PostgresStore.connectionConfiguration(url), id: 1, logger: logger)
                do {
                    try await connection.listen(on: Self.channel) { notifications in
                        deliver(.everything)
                        healthy(true)
                        delay = .milliseconds(100)
                        for try await notification in notifications {
                            if let message = ChangeMessage(text: notification.payload) { deliver(message) }
                        }
                    }
                } catch {
                    healthy(false)
                    try? await connection.close()
                    throw error
                }
                healthy(false)
                try? await connection.close()
            } catch {
                if Task.isCancelled { break }
                logger.warning("the change listener lost PostgreSQL; caches are bypassed until it is back",
                    metadata: ["error": "\(String(describing: error))"])
            }
            try? await Task.sleep(for: delay)
            delay = min(delay * 2, .seconds(5))
        }
        healthy(false)
    }
}
