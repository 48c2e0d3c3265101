/// A SQL statement whose interpolated values are bound as parameters, never spliced into the text.
///
/// ```swift
/// let query: SQLQuery = "INSERT INTO notes (user_id, body) VALUES (\(userID), \(body))"
/// try await store.execute(query)
/// ```
/// Placeholders are rendered per dialect (`$1` on PostgreSQL, `?1` on SQLite).
/// > Important: only ``init(unsafeSQL:)`` and ``StringInterpolation/appendInterpolation(unsafeRaw:)`` put text into
/// > the statement; never pass them user input.
public struct SQLQuery: Sendable, Hashable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// A piece of the statement.
    public enum Fragment: Sendable, Hashable {
        /// SQL text.
        case sql(String)
        /// A bound value.
        case bind(SQLValue)
    }

    /// The statement's pieces, in order.
    public private(set) var fragments: [Fragment]

    /// Builds a statement from trusted text with no binds (DDL, for example).
    /// - Parameter unsafeSQL: SQL text that contains no user input.
    public init(unsafeSQL: String) { fragments = [.sql(unsafeSQL)] }

    /// A statement literal without interpolations.
    public init(stringLiteral value: String) { fragments = [.sql(value)] }

    /// A statement literal with interpolated binds.
    public init(stringInterpolation: StringInterpolation) { fragments = stringInterpolation.fragments }

    /// Appends another statement's pieces (to build a query from parts).
    /// - Parameter other: the statement to append.
    public mutating func append(_ other: SQLQuery) { fragments.append(contentsOf: other.fragments) }

    /// The text with placeholders for `dialect`, and the binds in order.
    /// - Parameter dialect: the engine.
    /// - Returns: `(sql, binds)`.
    public func rendered(for dialect: SQLDialect) -> (sql: String, binds: [SQLValue]) {
        var sql = ""
        var binds: [SQLValue] = []
        for fragment in fragments {
            switch fragment {
            case .sql(let text): sql += text
            case .bind(let value):
                binds.append(value)
                sql += dialect.placeholder(binds.count)
            }
        }
        return (sql, binds)
    }

    /// The text with `$n` placeholders; binds are not shown, so logging it leaks no values.
    public var description: String { rendered(for: .postgres).sql }

    /// Collects the pieces of an interpolated statement.
    public struct StringInterpolation: StringInterpolationProtocol {
        fileprivate var fragments: [Fragment] = []

        /// Reserves room.
        public init(literalCapacity: Int, interpolationCount: Int) {}

        /// Appends literal SQL text.
        public mutating func appendLiteral(_ literal: String) {
            if !literal.isEmpty { fragments.append(.sql(literal)) }
        }

        /// Binds a value.
        /// - Parameter value: bound as a parameter.
        public mutating func appendInterpolation(_ value: some SQLBindable) {
            fragments.append(.bind(value.sqlValue))
        }

        /// Splices another statement, its binds included (to compose a query from parts).
        /// - Parameter query: a statement whose binds stay binds.
        public mutating func appendInterpolation(_ query: SQLQuery) {
            fragments.append(contentsOf: query.fragments)
        }

        /// Splices trusted text, such as a table name chosen by code.
        /// - Parameter unsafeRaw: text that contains no user input.
        public mutating func appendInterpolation(unsafeRaw: String) {
            fragments.append(.sql(unsafeRaw))
        }
    }
}
