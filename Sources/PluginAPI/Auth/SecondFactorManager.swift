/// A second factor for accounts a plugin owns (time-based one-time codes for local users). The portal drives
/// enrolment through it; the plugin's ``AuthProvider`` asks for the code at login by throwing
/// ``AuthFailure/Code/secondFactorRequired`` when ``PasswordCredentials/oneTimeCode`` is missing.
///
/// ```swift
/// let enrollment = try await manager.startEnrollment(userID: "alice", issuer: "Example VPN")
/// // the user scans enrollment.uri, then types a code:
/// let recoveryCodes = try await manager.confirmEnrollment(userID: "alice", code: "123456")
/// ```
public protocol SecondFactorManager: Sendable {
    /// Whether `userID` is one of this manager's accounts (it can enrol).
    /// - Parameter userID: the user.
    func manages(userID: String) async throws -> Bool

    /// Whether `userID` has a confirmed second factor.
    /// - Parameter userID: the user.
    func isEnrolled(userID: String) async throws -> Bool

    /// Creates a new secret, pending until confirmed (a previous pending one is replaced; a confirmed one stays in
    /// force until then).
    /// - Parameters:
    ///   - userID: the user.
    ///   - issuer: the service name authenticator apps show.
    /// - Returns: the secret and its `otpauth://` URI.
    func startEnrollment(userID: String, issuer: String) async throws -> SecondFactorEnrollment

    /// Confirms the pending secret with a code from the user's app.
    /// - Parameters:
    ///   - userID: the user.
    ///   - code: the one-time code.
    /// - Returns: single-use recovery codes, shown once.
    /// - Throws: ``AuthFailure`` `.invalidCredentials` for a wrong code; ``PluginError`` `.notFound` without a pending
    ///   enrolment.
    func confirmEnrollment(userID: String, code: String) async throws -> [String]

    /// Removes the second factor (an admin's reset, or the user's own choice after logging in with it).
    /// - Parameter userID: the user.
    func disable(userID: String) async throws
}

/// A secret being enrolled.
public struct SecondFactorEnrollment: Sendable, Equatable {
    /// The secret in base32, for typing into an app by hand.
    public var secret: String
    /// The `otpauth://totp/…` URI apps read from a QR code.
    public var uri: String

    /// Creates an enrolment.
    /// - Parameters:
    ///   - secret: base32 secret.
    ///   - uri: the otpauth URI.
    public init(secret: String, uri: String) {
        self.secret = secret
        self.uri = uri
    }
}
