/// Runs blocking or CPU-heavy work (password hashing, blocking C libraries) off the cooperative pool.
///
/// The host backs it with a thread pool; plugins never create threads themselves.
///
/// ```swift
/// let ok = try await context.blocking.run { Bcrypt.verify(password, hash: hash) }
/// ```
/// > Important: never call bcrypt, Argon2 or a blocking socket directly from an `async` function.
public protocol BlockingExecutor: Sendable {
    /// Runs `work` on a thread where blocking is allowed and returns its result.
    /// - Parameter work: the blocking work.
    /// - Returns: what `work` returns.
    /// - Throws: what `work` throws, or a cancellation error when the pool is shutting down.
    func run<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result
}
