/// One versioned schema change of a plugin (or of the host), applied once per store at boot.
///
/// Versions are per plugin and applied in order inside one transaction; on PostgreSQL an advisory lock
/// makes replicas that start together wait for each other, so each migration runs exactly once.
///
/// ```swift
/// Migration(version: 1, name: "create notes") { dialect in
///     ["CREATE TABLE notes_items (id TEXT PRIMARY KEY, body TEXT NOT NULL, data \(unsafeRaw: dialect.blobType))"]
/// }
/// ```
/// > Important: never change a migration once released; add a new version. Prefix tables with the plugin's name.
public struct Migration: Sendable {
    /// The version, 1 or more, unique within the plugin.
    public var version: Int
    /// A short description for logs.
    public var name: String
    /// The statements for a dialect.
    public var statements: @Sendable (SQLDialect) -> [SQLQuery]

    /// Creates a migration.
    /// - Parameters:
    ///   - version: 1 or more, unique within the plugin.
    ///   - name: a short description.
    ///   - statements: the statements for a dialect.
    public init(version: Int, name: String, statements: @escaping @Sendable (SQLDialect) -> [SQLQuery]) {
        self.version = version
        self.name = name
        self.statements = statements
    }
}
