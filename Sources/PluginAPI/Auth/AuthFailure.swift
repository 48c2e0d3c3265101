/// Why a provider refused a login. The host shows users one generic message for all codes
/// (so that nobody learns which user names exist) and logs the code.
///
/// ```swift
/// throw AuthFailure.invalidCredentials()
/// ```
public struct AuthFailure: Error, Sendable, Equatable, CustomStringConvertible {
    /// The opaque kind of an ``AuthFailure``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The user exists but the password (or code) is wrong.
        public static let invalidCredentials = Code("invalid_credentials")
        /// The account is disabled.
        public static let accountDisabled = Code("account_disabled")
        /// A second factor is required and was missing or wrong.
        public static let secondFactorRequired = Code("second_factor_required")
        /// Too many recent failures for this user or address: refused without asking any provider.
        public static let throttled = Code("throttled")
        /// The code's name, for logs.
        public var description: String { name }
    }

    /// The kind of failure.
    public let code: Code
    /// Where the failure was raised.
    public let location: String

    /// Creates a failure.
    /// - Parameter code: the kind.
    public init(_ code: Code, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.location = "\(file):\(line)"
    }

    /// Wrong password or code.
    public static func invalidCredentials(file: String = #fileID, line: Int = #line) -> AuthFailure {
        AuthFailure(.invalidCredentials, file: file, line: line)
    }
    /// A disabled account.
    public static func accountDisabled(file: String = #fileID, line: Int = #line) -> AuthFailure {
        AuthFailure(.accountDisabled, file: file, line: line)
    }

    /// `authentication failed (CODE)`: no user name, no password.
    public var description: String { "authentication failed (\(code))" }

    /// Failures are equal when their codes are.
    public static func == (lhs: AuthFailure, rhs: AuthFailure) -> Bool { lhs.code == rhs.code }
}
