/// A value bound into, or read out of, a SQL statement.
///
/// Portolan's schemas use only these column types on both stores: `BIGINT` (integers and booleans as 0/1,
/// times as seconds since 1970), `DOUBLE PRECISION`/`REAL`, `TEXT`, and `BYTEA`/`BLOB`.
public enum SQLValue: Sendable, Hashable {
    /// SQL `NULL`.
    case null
    /// An integer.
    case integer(Int64)
    /// A floating-point number.
    case double(Double)
    /// Text.
    case text(String)
    /// Bytes.
    case blob([UInt8])
}

/// A Swift type that can be bound into a ``SQLQuery`` by interpolation.
///
/// ```swift
/// let query: SQLQuery = "SELECT id FROM users WHERE name = \(name) AND disabled = \(false)"
/// ```
public protocol SQLBindable: Sendable {
    /// The value to bind.
    var sqlValue: SQLValue { get }
}

extension String: SQLBindable {
    /// `.text`.
    public var sqlValue: SQLValue { .text(self) }
}
extension Int: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(Int64(self)) }
}
extension Int64: SQLBindable {
    /// `.integer`.
    public var sqlValue: SQLValue { .integer(self) }
}
extension Double: SQLBindable {
    /// `.double`.
    public var sqlValue: SQLValue { .double(self) }
}
extension Bool: SQLBindable {
    /// `.integer(1)` or `.integer(0)`.
    public var sqlValue: SQLValue { .integer(self ? 1 : 0) }
}
extension Array: SQLBindable where Element == UInt8 {
    /// `.blob`.
    public var sqlValue: SQLValue { .blob(self) }
}
extension Optional: SQLBindable where Wrapped: SQLBindable {
    /// The wrapped value, or `.null`.
    public var sqlValue: SQLValue { self?.sqlValue ?? .null }
}
extension SQLValue: SQLBindable {
    /// Itself.
    public var sqlValue: SQLValue { self }
}
