import ServiceLifecycle

/// Runs the ``ChangeFeed`` into the ``GrantCache`` while the server runs.
struct ChangeFeedService: Service {
    let feed: any ChangeFeed
    let cache: GrantCache

    func run() async throws {
        await cancelWhenGracefulShutdown {
            await feed.run(deliver: { cache.apply($0) }, healthy: { cache.setHealthy($0) })
        }
    }
}
