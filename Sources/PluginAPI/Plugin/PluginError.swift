/// An error a plugin throws for a domain problem. The host maps codes to HTTP statuses and CLI messages.
///
/// ```swift
/// throw PluginError.invalidRequest("the profile 'x' does not exist")
/// ```
/// > Important: `message` is shown to users and logged: never put a secret, token or password in it.
public struct PluginError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The opaque kind of a ``PluginError``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The caller asked for something malformed or impossible.
        public static let invalidRequest = Code("invalid_request")
        /// The thing asked for does not exist.
        public static let notFound = Code("not_found")
        /// The caller may not do this.
        public static let forbidden = Code("forbidden")
        /// The request conflicts with existing state (a duplicate, say).
        public static let conflict = Code("conflict")
        /// A system the plugin depends on (a directory, a RADIUS server) did not answer as it should.
        public static let unavailable = Code("unavailable")
        /// A fault inside the plugin.
        public static let internalError = Code("internal_error")
        /// The code's wire name, such as `invalid_request`.
        public var description: String { name }
    }

    /// The kind of error.
    public let code: Code
    /// A message safe to show to the user and to log.
    public let message: String
    /// Where the error was made.
    public let location: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind.
    ///   - message: a message without secrets.
    public init(_ code: Code, _ message: String, file: String = #fileID, line: Int = #line) {
        self.code = code
        self.message = message
        self.location = "\(file):\(line)"
    }

    /// Makes an ``Code/invalidRequest`` error.
    public static func invalidRequest(_ message: String, file: String = #fileID, line: Int = #line) -> PluginError {
        PluginError(.invalidRequest, message, file: file, line: line)
    }
    /// Makes a ``Code/notFound`` error.
    public static func notFound(_ message: String, file: String = #fileID, line: Int = #line) -> PluginError {
        PluginError(.notFound, message, file: file, line: line)
    }
    /// Makes a ``Code/forbidden`` error.
    public static func forbidden(_ message: String, file: String = #fileID, line: Int = #line) -> PluginError {
        PluginError(.forbidden, message, file: file, line: line)
    }
    /// Makes a ``Code/conflict`` error.
    public static func conflict(_ message: String, file: String = #fileID, line: Int = #line) -> PluginError {
        PluginError(.conflict, message, file: file, line: line)
    }
    /// Makes an ``Code/unavailable`` error.
    public static func unavailable(_ message: String, file: String = #fileID, line: Int = #line) -> PluginError {
        PluginError(.unavailable, message, file: file, line: line)
    }

    /// The message.
    public var description: String { message }

    /// Errors are equal when their codes are.
    public static func == (lhs: PluginError, rhs: PluginError) -> Bool { lhs.code == rhs.code }
}
