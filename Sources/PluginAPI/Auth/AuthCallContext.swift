public import Logging

/// Per-call context for an authentication attempt.
///
/// ```swift
/// context.logger.debug("bind ok", metadata: ["auth.subject": "\(username)"])
/// ```
public struct AuthCallContext: Sendable {
    /// A logger carrying `request.id` and `auth.provider` metadata.
    public var logger: Logger
    /// The client's address as the host saw it, for rate limits and audit logs.
    public var remoteAddress: String?

    /// Creates a context.
    /// - Parameters:
    ///   - logger: the call's logger.
    ///   - remoteAddress: the client's address.
    public init(logger: Logger, remoteAddress: String? = nil) {
        self.logger = logger
        self.remoteAddress = remoteAddress
    }
}
