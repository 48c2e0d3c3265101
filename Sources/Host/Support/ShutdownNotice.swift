import ServiceLifecycle

/// Closes a ``ChangeSignal`` when graceful shutdown begins, so that long-polls (nodes waiting for revocations)
/// answer at once instead of holding the server's shutdown for their full wait.
struct ShutdownNotice: Service {
    let signal: ChangeSignal

    func run() async throws {
        try? await gracefulShutdown()
        signal.close()
    }
}
