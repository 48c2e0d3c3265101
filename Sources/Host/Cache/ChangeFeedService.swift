import ServiceLifecycle

/// Runs the ``ChangeFeed`` into the ``GrantCache`` (and wakes long-polling nodes) while the server runs.
struct ChangeFeedService: Service {
    let feed: any ChangeFeed
    let cache: GrantCache
    let signal: ChangeSignal

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await feed.run(
                deliver: { message in
                    cache.apply(message)
                    signal.fire()
                },
                healthy: { cache.setHealthy($0) })
        }
    }
}
