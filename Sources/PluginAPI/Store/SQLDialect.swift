/// Which SQL engine a store speaks, for the few statements (DDL, upserts) that differ.
///
/// ```swift
/// let blob = dialect == .postgres ? "BYTEA" : "BLOB"
/// ```
public struct SQLDialect: Hashable, Sendable, CustomStringConvertible {
    private let name: String
    private init(_ name: String) { self.name = name }

    /// SQLite 3 (the embedded default).
    public static let sqlite = SQLDialect("sqlite")
    /// PostgreSQL 13 or later (the shared store).
    public static let postgres = SQLDialect("postgres")

    /// `sqlite` or `postgres`.
    public var description: String { name }

    /// The placeholder for the bind at `index` (1-based): `$1` on PostgreSQL, `?1` on SQLite.
    /// - Parameter index: the 1-based bind index.
    public func placeholder(_ index: Int) -> String {
        self == .postgres ? "$\(index)" : "?\(index)"
    }

    /// The type of a byte-string column: `BYTEA` or `BLOB`.
    public var blobType: String { self == .postgres ? "BYTEA" : "BLOB" }

    /// The type of a floating-point column: `DOUBLE PRECISION` or `REAL`.
    public var doubleType: String { self == .postgres ? "DOUBLE PRECISION" : "REAL" }

    /// An auto-incrementing 64-bit primary key column definition.
    public var autoIncrementPrimaryKey: String {
        self == .postgres ? "BIGSERIAL PRIMARY KEY" : "INTEGER PRIMARY KEY AUTOINCREMENT"
    }
}
