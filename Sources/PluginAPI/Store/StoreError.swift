/// A store failure. Its description names the problem and never the bound values.
///
/// ```swift
/// do { try await store.execute(insert) } catch let error as StoreError where error.code == .uniqueViolation { … }
/// ```
public struct StoreError: Error, Sendable, Equatable, CustomStringConvertible, CustomDebugStringConvertible {
    /// The opaque kind of a ``StoreError``.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }
        /// The store cannot be reached.
        public static let unavailable = Code("unavailable")
        /// A unique or primary key constraint was violated.
        public static let uniqueViolation = Code("unique_violation")
        /// The statement failed (syntax, constraint other than unique, …).
        public static let queryFailed = Code("query_failed")
        /// The engine aborted the statement to break a deadlock or a serialization conflict; running it again is safe.
        public static let transient = Code("transient")
        /// A row lacks the column asked for.
        public static let missingColumn = Code("missing_column")
        /// A column holds a different type than asked for.
        public static let typeMismatch = Code("type_mismatch")
        /// The code's name.
        public var description: String { name }
    }

    /// The kind.
    public let code: Code
    /// A message without bound values.
    public let message: String
    /// Driver detail for debugging (server message, SQLSTATE); may be longer.
    public let detail: String

    /// Creates an error.
    /// - Parameters:
    ///   - code: the kind.
    ///   - message: a message without bound values.
    ///   - detail: driver detail.
    public init(_ code: Code, _ message: String, detail: String = "") {
        self.code = code
        self.message = message
        self.detail = detail
    }

    /// A missing column.
    public static func missingColumn(_ column: String) -> StoreError {
        StoreError(.missingColumn, "the row has no column '\(column)'")
    }
    /// A column of the wrong type.
    public static func typeMismatch(_ column: String, expected: String) -> StoreError {
        StoreError(.typeMismatch, "column '\(column)' is not a non-null \(expected)")
    }

    /// `store CODE: MESSAGE`.
    public var description: String { "store \(code): \(message)" }
    /// The description plus driver detail.
    public var debugDescription: String { detail.isEmpty ? description : "\(description) [\(detail)]" }

    /// Errors are equal when their codes are.
    public static func == (lhs: StoreError, rhs: StoreError) -> Bool { lhs.code == rhs.code }
}
