/// A login that happens elsewhere, through the browser: OpenID Connect, SAML.
///
/// The host sends the browser to ``startLogin(_:context:)``'s URL and calls
/// ``finishLogin(_:context:)`` with the query of the callback request.
///
/// ```swift
/// let start = try await provider.startLogin(RedirectLoginRequest(callbackURL: callback), context: ctx)
/// // … browser comes back to callbackURL?code=…&state=…
/// let identity = try await provider.finishLogin(RedirectCallback(query: query, state: start.state), context: ctx)
/// ```
/// > Important: verify `state` (and a nonce, for OIDC) in ``finishLogin(_:context:)``; throw ``AuthFailure`` to refuse.
public protocol RedirectAuthProvider: Sendable {
    /// The provider's id, such as `oidc`.
    var id: String { get }
    /// The label of the login button.
    var displayName: String { get }

    /// Starts a login.
    /// - Parameters:
    ///   - request: where the browser must come back to.
    ///   - context: the call's logger.
    /// - Returns: the URL to send the browser to, and state the host keeps in the login session.
    func startLogin(_ request: RedirectLoginRequest, context: AuthCallContext) async throws -> RedirectLoginStart

    /// Finishes a login from the callback.
    /// - Parameters:
    ///   - callback: the callback's query items and the state kept at the start.
    ///   - context: the call's logger.
    /// - Returns: the identity.
    /// - Throws: ``AuthFailure`` to refuse.
    func finishLogin(_ callback: RedirectCallback, context: AuthCallContext) async throws -> Identity
}

/// The input of ``RedirectAuthProvider/startLogin(_:context:)``.
public struct RedirectLoginRequest: Sendable {
    /// The absolute URL of the host's callback endpoint for this provider.
    public var callbackURL: String
    /// Creates a request.
    /// - Parameter callbackURL: the callback endpoint.
    public init(callbackURL: String) { self.callbackURL = callbackURL }
}

/// The output of ``RedirectAuthProvider/startLogin(_:context:)``.
public struct RedirectLoginStart: Sendable {
    /// Where to send the browser.
    public var redirectURL: String
    /// Opaque state the host keeps in the login session and hands back to ``RedirectAuthProvider/finishLogin(_:context:)``.
    public var state: SecretString
    /// Creates a start.
    /// - Parameters:
    ///   - redirectURL: where to send the browser.
    ///   - state: opaque state to keep.
    public init(redirectURL: String, state: SecretString) {
        self.redirectURL = redirectURL
        self.state = state
    }
}

/// The input of ``RedirectAuthProvider/finishLogin(_:context:)``.
public struct RedirectCallback: Sendable {
    /// The callback request's query items.
    public var query: [String: String]
    /// The state kept since ``RedirectAuthProvider/startLogin(_:context:)``.
    public var state: SecretString
    /// Creates a callback.
    /// - Parameters:
    ///   - query: the query items.
    ///   - state: the kept state.
    public init(query: [String: String], state: SecretString) {
        self.query = query
        self.state = state
    }
}
