/// A string that must not be logged: a password, a token, a shared secret.
///
/// Its `description` is redacted, so interpolating it into a log line or an error leaks nothing.
///
/// ```swift
/// let password = SecretString("hunter2")
/// "\(password)"                   // "<redacted>"
/// password.matches("hunter2")     // true, in constant time
/// ```
public struct SecretString: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The secret itself. Read it only where it is used.
    public let value: String

    /// Wraps a secret.
    /// - Parameter value: the secret text.
    public init(_ value: String) { self.value = value }

    /// `<redacted>`.
    public var description: String { "<redacted>" }
    /// `<redacted>`.
    public var debugDescription: String { "<redacted>" }

    /// Compares with `candidate` in time that depends only on the lengths.
    /// - Parameter candidate: the text to compare.
    /// - Returns: whether the two are equal.
    public func matches(_ candidate: String) -> Bool {
        ConstantTime.equals(Array(value.utf8), Array(candidate.utf8))
    }
}
