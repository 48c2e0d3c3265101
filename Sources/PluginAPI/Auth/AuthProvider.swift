/// Checks credentials typed into the login form and says who the user is.
///
/// The host tries its providers in registry order. Follow hummingbird-auth's contract:
///
/// ```swift
/// func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Identity? {
///     guard let account = try await accounts.find(credentials.username) else { return nil }   // not mine
///     guard account.verify(credentials.password) else { throw AuthFailure.invalidCredentials() }  // stop
///     return Identity(userID: account.id, authProvider: id)
/// }
/// ```
/// > Important: return `nil` for "not mine, try the next provider"; throw ``AuthFailure`` for "stop, refuse".
/// > Must not block: run CPU-heavy hashing or blocking libraries off the cooperative pool.
public protocol AuthProvider: Sendable {
    /// The provider's id, such as `local` or `ldap`; stored with each user as where they came from.
    var id: String { get }

    /// Checks `credentials`.
    /// - Parameters:
    ///   - credentials: what the user typed.
    ///   - context: the call's logger and client address.
    /// - Returns: the identity, or `nil` when this provider does not know the user.
    /// - Throws: ``AuthFailure`` to refuse; any other error is reported as unavailable.
    func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Identity?
}

/// An ``AuthProvider`` made from a closure, for tests and small plugins.
///
/// ```swift
/// ClosureAuthProvider(id: "static") { credentials, _ in
///     credentials.password.matches("letmein") ? Identity(userID: credentials.username, authProvider: "static") : nil
/// }
/// ```
public struct ClosureAuthProvider: AuthProvider {
    /// The provider's id.
    public let id: String
    private let body: @Sendable (PasswordCredentials, AuthCallContext) async throws -> Identity?

    /// Wraps a closure.
    /// - Parameters:
    ///   - id: the provider's id.
    ///   - body: the authentication, with the contract of ``AuthProvider/authenticate(_:context:)``.
    public init(id: String, _ body: @escaping @Sendable (PasswordCredentials, AuthCallContext) async throws -> Identity?) {
        self.id = id
        self.body = body
    }

    /// Calls the closure.
    public func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Identity? {
        try await body(credentials, context)
    }
}
