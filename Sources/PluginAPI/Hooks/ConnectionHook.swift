/// Observes VPN connections coming and going, for accounting, audit or alerts.
///
/// ```swift
/// struct AuditHook: ConnectionHook {
///     func connected(_ event: ConnectionEvent, context: AuthCallContext) async throws {
///         context.logger.info("vpn.connect", metadata: ["auth.subject": "\(event.userID)"])
///     }
/// }
/// ```
/// > Important: return quickly; a thrown error is logged and does not refuse the connection.
public protocol ConnectionHook: Sendable {
    /// A client connected.
    /// - Parameters:
    ///   - event: who, where, which addresses.
    ///   - context: the call's logger.
    func connected(_ event: ConnectionEvent, context: AuthCallContext) async throws
    /// A client disconnected.
    /// - Parameters:
    ///   - event: who, where, and the byte counts.
    ///   - context: the call's logger.
    func disconnected(_ event: ConnectionEvent, context: AuthCallContext) async throws
}

extension ConnectionHook {
    /// Ignores connects.
    public func connected(_ event: ConnectionEvent, context: AuthCallContext) async throws {}
    /// Ignores disconnects.
    public func disconnected(_ event: ConnectionEvent, context: AuthCallContext) async throws {}
}

/// One VPN connection's start or end.
public struct ConnectionEvent: Sendable, Hashable {
    /// The user.
    public var userID: String
    /// The profile.
    public var profileID: String
    /// The node that served the connection.
    public var nodeID: String
    /// The client's VPN IPv4 address.
    public var ipv4Address: String?
    /// The client's VPN IPv6 address.
    public var ipv6Address: String?
    /// The client's public address.
    public var remoteAddress: String?
    /// Seconds since 1970 when the event happened.
    public var time: Int64
    /// Bytes from the client (set on disconnect).
    public var bytesIn: Int64
    /// Bytes to the client (set on disconnect).
    public var bytesOut: Int64

    /// Creates an event.
    /// - Parameters:
    ///   - userID: the user.
    ///   - profileID: the profile.
    ///   - nodeID: the node.
    ///   - ipv4Address: VPN IPv4 address.
    ///   - ipv6Address: VPN IPv6 address.
    ///   - remoteAddress: the client's public address.
    ///   - time: seconds since 1970.
    ///   - bytesIn: bytes from the client.
    ///   - bytesOut: bytes to the client.
    public init(
        userID: String, profileID: String, nodeID: String, ipv4Address: String? = nil, ipv6Address: String? = nil,
        remoteAddress: String? = nil, time: Int64, bytesIn: Int64 = 0, bytesOut: Int64 = 0
    ) {
        self.userID = userID
        self.profileID = profileID
        self.nodeID = nodeID
        self.ipv4Address = ipv4Address
        self.ipv6Address = ipv6Address
        self.remoteAddress = remoteAddress
        self.time = time
        self.bytesIn = bytesIn
        self.bytesOut = bytesOut
    }
}
