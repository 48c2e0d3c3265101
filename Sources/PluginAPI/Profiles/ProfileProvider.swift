/// A source of VPN profiles.
///
/// ```swift
/// ClosureProfileProvider { _ in [VPNProfile(id: "default", displayName: "Default")] }
/// ```
/// > Important: the host calls this per request; read from the store (shared by all replicas), not from local state.
public protocol ProfileProvider: Sendable {
    /// All profiles this provider knows, whoever may use them.
    /// - Parameter context: the call's logger.
    /// - Returns: the profiles, in display order.
    func profiles(context: AuthCallContext) async throws -> [VPNProfile]
}

/// A ``ProfileProvider`` made from a closure.
public struct ClosureProfileProvider: ProfileProvider {
    private let body: @Sendable (AuthCallContext) async throws -> [VPNProfile]

    /// Wraps a closure.
    /// - Parameter body: returns the profiles.
    public init(_ body: @escaping @Sendable (AuthCallContext) async throws -> [VPNProfile]) {
        self.body = body
    }

    /// Calls the closure.
    public func profiles(context: AuthCallContext) async throws -> [VPNProfile] {
        try await body(context)
    }
}
