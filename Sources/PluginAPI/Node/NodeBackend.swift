/// A VPN technology (OpenVPN, WireGuard) that turns a profile and a user into a client configuration.
///
/// The host calls it from the API's `/connect`; node processes are driven by the node daemon.
///
/// ```swift
/// let config = try await backend.clientConfiguration(for: request, context: ctx)
/// ```
/// > Important: must not spawn processes per request; render in-process.
public protocol NodeBackend: Sendable {
    /// The technology's id as the eduVPN API names it: `openvpn` or `wireguard`.
    var protocolName: String { get }

    /// Issues credentials and renders a client configuration.
    /// - Parameters:
    ///   - request: the profile, user and expiry.
    ///   - context: the call's logger.
    /// - Returns: the configuration to hand to the app.
    /// - Throws: ``PluginError`` when the profile cannot be served.
    func clientConfiguration(for request: ClientConfigurationRequest, context: AuthCallContext) async throws
        -> ClientConfiguration
}

/// What the host asks a ``NodeBackend`` for.
public struct ClientConfigurationRequest: Sendable {
    /// The profile to connect to.
    public var profile: VPNProfile
    /// The user.
    public var userID: String
    /// When the configuration stops working (seconds since 1970).
    public var expiresAt: Int64
    /// Whether the app asked for TCP only.
    public var preferTCP: Bool

    /// Creates a request.
    /// - Parameters:
    ///   - profile: the profile.
    ///   - userID: the user.
    ///   - expiresAt: expiry in seconds since 1970.
    ///   - preferTCP: TCP only.
    public init(profile: VPNProfile, userID: String, expiresAt: Int64, preferTCP: Bool = false) {
        self.profile = profile
        self.userID = userID
        self.expiresAt = expiresAt
        self.preferTCP = preferTCP
    }
}

/// A rendered client configuration.
public struct ClientConfiguration: Sendable {
    /// The media type, such as `application/x-openvpn-profile`.
    public var mediaType: String
    /// The configuration text.
    public var body: String
    /// When it stops working (seconds since 1970).
    public var expiresAt: Int64

    /// Creates a configuration.
    /// - Parameters:
    ///   - mediaType: the media type.
    ///   - body: the text.
    ///   - expiresAt: expiry in seconds since 1970.
    public init(mediaType: String, body: String, expiresAt: Int64) {
        self.mediaType = mediaType
        self.body = body
        self.expiresAt = expiresAt
    }
}
