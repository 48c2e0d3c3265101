import NIOPosix
import PluginAPI

/// Runs blocking work on NIO's shared thread pool, off the event loops and the cooperative pool.
struct ThreadPoolBlockingExecutor: BlockingExecutor {
    func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await NIOThreadPool.singleton.runIfActive(work)
    }
}
