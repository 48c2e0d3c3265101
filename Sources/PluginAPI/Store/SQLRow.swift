/// One result row, with typed accessors that throw ``StoreError`` naming the column.
///
/// ```swift
/// for row in try await store.query("SELECT id, name FROM users") {
///     let id = try row.int("id"); let name = try row.string("name")
/// }
/// ```
public struct SQLRow: Sendable, Hashable {
    /// The column names, in select order (lower case on both stores when unquoted).
    public let columns: [String]
    /// The values, in select order.
    public let values: [SQLValue]

    /// Creates a row.
    /// - Parameters:
    ///   - columns: the column names.
    ///   - values: the values, same count.
    public init(columns: [String], values: [SQLValue]) {
        precondition(columns.count == values.count, "a row needs one value per column")
        self.columns = columns
        self.values = values
    }

    /// The raw value of `column`.
    /// - Parameter column: the column name.
    /// - Throws: ``StoreError`` when the row has no such column.
    public func value(_ column: String) throws -> SQLValue {
        guard let index = columns.firstIndex(of: column) else { throw StoreError.missingColumn(column) }
        return values[index]
    }

    /// A non-null integer.
    /// - Parameter column: the column name.
    public func int(_ column: String) throws -> Int64 {
        guard let value = try optionalInt(column) else { throw StoreError.typeMismatch(column, expected: "integer") }
        return value
    }

    /// An integer or `nil` for NULL.
    /// - Parameter column: the column name.
    public func optionalInt(_ column: String) throws -> Int64? {
        switch try value(column) {
        case .null: return nil
        case .integer(let value): return value
        default: throw StoreError.typeMismatch(column, expected: "integer")
        }
    }

    /// A boolean stored as 0/1.
    /// - Parameter column: the column name.
    public func bool(_ column: String) throws -> Bool { try int(column) != 0 }

    /// A non-null string.
    /// - Parameter column: the column name.
    public func string(_ column: String) throws -> String {
        guard let value = try optionalString(column) else { throw StoreError.typeMismatch(column, expected: "text") }
        return value
    }

    /// A string or `nil` for NULL.
    /// - Parameter column: the column name.
    public func optionalString(_ column: String) throws -> String? {
        switch try value(column) {
        case .null: return nil
        case .text(let value): return value
        default: throw StoreError.typeMismatch(column, expected: "text")
        }
    }

    /// A non-null byte string.
    /// - Parameter column: the column name.
    public func blob(_ column: String) throws -> [UInt8] {
        switch try value(column) {
        case .blob(let value): return value
        default: throw StoreError.typeMismatch(column, expected: "blob")
        }
    }

    /// A non-null floating-point number (integers convert).
    /// - Parameter column: the column name.
    public func double(_ column: String) throws -> Double {
        switch try value(column) {
        case .double(let value): return value
        case .integer(let value): return Double(value)
        default: throw StoreError.typeMismatch(column, expected: "double")
        }
    }
}
