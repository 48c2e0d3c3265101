/// Who a user is, as an authentication provider established it.
///
/// ```swift
/// Identity(userID: "alice", displayName: "Alice", permissions: ["staff"], authProvider: "ldap")
/// ```
public struct Identity: Sendable, Hashable {
    /// The stable user id, unique across providers (the host's user directory is keyed on it).
    public var userID: String
    /// A name to show, when the provider knows one.
    public var displayName: String?
    /// Permissions (entitlements, group memberships) that profile ACLs match against.
    public var permissions: Set<String>
    /// The id of the ``AuthProvider`` that established the identity.
    public var authProvider: String

    /// Creates an identity.
    /// - Parameters:
    ///   - userID: the stable user id.
    ///   - displayName: a name to show.
    ///   - permissions: permissions for profile ACLs.
    ///   - authProvider: the provider's id.
    public init(userID: String, displayName: String? = nil, permissions: Set<String> = [], authProvider: String) {
        self.userID = userID
        self.displayName = displayName
        self.permissions = permissions
        self.authProvider = authProvider
    }
}
