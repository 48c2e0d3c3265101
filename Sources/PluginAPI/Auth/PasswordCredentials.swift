/// A user name and password (and, where the user has one, a one-time code) typed into a login form.
///
/// ```swift
/// PasswordCredentials(username: "alice", password: SecretString("s3cret"))
/// ```
public struct PasswordCredentials: Sendable {
    /// The name the user typed, trimmed of surrounding white space.
    public var username: String
    /// The password.
    public var password: SecretString
    /// A one-time code (TOTP), when the form had one.
    public var oneTimeCode: SecretString?

    /// Creates credentials.
    /// - Parameters:
    ///   - username: the user name.
    ///   - password: the password.
    ///   - oneTimeCode: an optional one-time code.
    public init(username: String, password: SecretString, oneTimeCode: SecretString? = nil) {
        self.username = username
        self.password = password
        self.oneTimeCode = oneTimeCode
    }
}
