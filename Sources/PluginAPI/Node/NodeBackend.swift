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

    /// Renders the server processes one node runs for the given profiles.
    /// - Parameters:
    ///   - request: the node, its profiles and where its runtime files live.
    ///   - context: the call's logger.
    /// - Returns: one configuration per process, in order.
    /// - Throws: ``PluginError`` when a profile cannot be served on the node.
    func serverConfigurations(for request: ServerConfigurationRequest, context: AuthCallContext) async throws
        -> [ServerProcessConfiguration]
}

/// What the host asks a ``NodeBackend`` for when a node fetches its configuration.
public struct ServerConfigurationRequest: Sendable {
    /// The node.
    public var nodeID: String
    /// The profiles that run on the node (others are ignored).
    public var profiles: [VPNProfile]
    /// The folder on the node for management sockets and status files, such as `/run/portolan`.
    public var runtimeDirectory: String
    /// The unprivileged user and group OpenVPN drops to, or `nil` to stay as started.
    public var dropPrivilegesTo: (user: String, group: String)?
    /// The script the node runs when a client connects (to ask the controller), or `nil`.
    public var clientConnectScript: String?
    /// The script the node runs when a client disconnects, or `nil`.
    public var clientDisconnectScript: String?
    /// Whether the node daemon approves every client over the management interface (`management-client-auth`)
    /// instead of scripts.
    public var managementClientAuth: Bool

    /// Creates a request.
    /// - Parameters:
    ///   - nodeID: the node.
    ///   - profiles: the profiles.
    ///   - runtimeDirectory: the node's runtime folder.
    ///   - dropPrivilegesTo: user and group, or `nil`.
    ///   - clientConnectScript: the connect hook.
    ///   - clientDisconnectScript: the disconnect hook.
    ///   - managementClientAuth: approve clients over the management interface.
    public init(
        nodeID: String, profiles: [VPNProfile], runtimeDirectory: String,
        dropPrivilegesTo: (user: String, group: String)? = ("nobody", "nogroup"),
        clientConnectScript: String? = nil, clientDisconnectScript: String? = nil, managementClientAuth: Bool = false
    ) {
        self.managementClientAuth = managementClientAuth
        self.nodeID = nodeID
        self.profiles = profiles
        self.runtimeDirectory = runtimeDirectory
        self.dropPrivilegesTo = dropPrivilegesTo
        self.clientConnectScript = clientConnectScript
        self.clientDisconnectScript = clientDisconnectScript
    }
}

/// One server process's configuration, as the node writes and runs it.
public struct ServerProcessConfiguration: Sendable, Hashable {
    /// The process name, `<profile>-<index>`.
    public var name: String
    /// The profile it serves.
    public var profileID: String
    /// `udp` or `tcp`.
    public var transport: String
    /// The listen port.
    public var port: Int
    /// The management socket path the node daemon talks to.
    public var managementSocket: String
    /// The configuration text (keys inline).
    public var body: String

    /// Creates a process configuration.
    /// - Parameters:
    ///   - name: `<profile>-<index>`.
    ///   - profileID: the profile.
    ///   - transport: `udp` or `tcp`.
    ///   - port: the port.
    ///   - managementSocket: the management socket path.
    ///   - body: the configuration text.
    public init(name: String, profileID: String, transport: String, port: Int, managementSocket: String, body: String) {
        self.name = name
        self.profileID = profileID
        self.transport = transport
        self.port = port
        self.managementSocket = managementSocket
        self.body = body
    }
}

/// What the host asks a ``NodeBackend`` for.
public struct ClientConfigurationRequest: Sendable {
    /// The profile to connect to.
    public var profile: VPNProfile
    /// The user.
    public var userID: String
    /// When the configuration stops working (seconds since 1970).
    public var expiresAt: Int64
    /// Whether the app asked for TCP first.
    public var preferTCP: Bool
    /// The portal URL, written into the configuration's header.
    public var portalURL: String
    /// The node the host chose (the least loaded live node of the profile), or `nil` for the backend's choice.
    public var nodeID: String?

    /// Creates a request.
    /// - Parameters:
    ///   - profile: the profile.
    ///   - userID: the user.
    ///   - expiresAt: expiry in seconds since 1970.
    ///   - preferTCP: TCP remotes first.
    ///   - portalURL: the portal URL for the header.
    ///   - nodeID: the chosen node, or `nil`.
    public init(
        profile: VPNProfile, userID: String, expiresAt: Int64, preferTCP: Bool = false, portalURL: String = "",
        nodeID: String? = nil
    ) {
        self.nodeID = nodeID
        self.profile = profile
        self.userID = userID
        self.expiresAt = expiresAt
        self.preferTCP = preferTCP
        self.portalURL = portalURL
    }
}

/// A rendered client configuration.
public struct ClientConfiguration: Sendable {
    /// The media type, such as `application/x-openvpn-profile`.
    public var mediaType: String
    /// The configuration text.
    public var body: String
    /// When it stops working (seconds since 1970); never later than the CA.
    public var expiresAt: Int64
    /// The credential's id: the certificate's common name (OpenVPN) or public key (WireGuard).
    public var credentialID: String
    /// The node the configuration points at.
    public var nodeID: String

    /// Creates a configuration.
    /// - Parameters:
    ///   - mediaType: the media type.
    ///   - body: the text.
    ///   - expiresAt: expiry in seconds since 1970.
    ///   - credentialID: the certificate CN or public key.
    ///   - nodeID: the node.
    public init(mediaType: String, body: String, expiresAt: Int64, credentialID: String, nodeID: String) {
        self.mediaType = mediaType
        self.body = body
        self.expiresAt = expiresAt
        self.credentialID = credentialID
        self.nodeID = nodeID
    }
}
