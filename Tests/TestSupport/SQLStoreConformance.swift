public import PluginAPI

/// The behaviour every ``SQLStore`` must show, run against SQLite and PostgreSQL alike.
///
/// Each case gets a fresh, migrated-by-itself store and throws ``ConformanceFailure`` when the store misbehaves.
public enum SQLStoreConformance {
    /// One named check.
    public struct Case: Sendable, CustomTestStringConvertibleShim {
        public let name: String
        public let run: @Sendable (any SQLStore) async throws -> Void
        public var testDescription: String { name }
    }

    /// Every check, by name.
    public static let cases: [Case] = [
        Case(name: "round-trips every value type", run: roundTrip),
        Case(name: "binds hostile text literally", run: bindsLiterally),
        Case(name: "reports unique violations", run: uniqueViolation),
        Case(name: "reports a failed statement without its values", run: failedStatement),
        Case(name: "commits a transaction", run: commit),
        Case(name: "rolls back a transaction that throws", run: rollback),
        Case(name: "serialises concurrent transactions", run: concurrentTransactions),
        Case(name: "supports upserts and RETURNING", run: upsertReturning),
        Case(name: "names missing columns and wrong types", run: rowErrors),
    ]

    /// The case called `name`.
    public static func named(_ name: String) -> Case? { cases.first { $0.name == name } }

    static func createTable(_ store: any SQLStore) async throws {
        try await store.execute(
            """
            CREATE TABLE conformance_items (
                id TEXT PRIMARY KEY, n BIGINT, x \(unsafeRaw: store.dialect.doubleType), body TEXT,
                data \(unsafeRaw: store.dialect.blobType))
            """)
    }

    static func roundTrip(_ store: any SQLStore) async throws {
        try await createTable(store)
        let blob: [UInt8] = [0, 1, 2, 255, 0]
        let text = "Grüße, 世界 ✓ 'quoted' \"double\""
        try await store.execute(
            "INSERT INTO conformance_items (id, n, x, body, data) VALUES (\("a"), \(Int64.max), \(1.5), \(text), \(blob))")
        try await store.execute(
            "INSERT INTO conformance_items (id, n, x, body, data) VALUES (\("b"), \(Int64.min), \(-0.25), \(""), \([UInt8]()))")
        try await store.execute(
            "INSERT INTO conformance_items (id, n, x, body, data) VALUES (\("c"), \(SQLValue.null), \(SQLValue.null), \(SQLValue.null), \(SQLValue.null))")
        let rows = try await store.query("SELECT id, n, x, body, data FROM conformance_items ORDER BY id")
        try expect(rows.count == 3, "3 rows, got \(rows.count)")
        try expect(try rows[0].int("n") == Int64.max, "Int64.max")
        try expect(try rows[0].double("x") == 1.5, "double")
        try expect(try rows[0].string("body") == text, "unicode text")
        try expect(try rows[0].blob("data") == blob, "blob with zero bytes")
        try expect(try rows[1].int("n") == Int64.min, "Int64.min")
        try expect(try rows[1].string("body") == "", "empty text")
        try expect(try rows[1].blob("data") == [], "empty blob")
        try expect(try rows[2].value("n") == .null && rows[2].value("body") == .null && rows[2].value("data") == .null, "nulls")
        try expect(try rows[2].optionalInt("n") == nil && rows[2].optionalString("body") == nil, "optional accessors")
    }

    static func bindsLiterally(_ store: any SQLStore) async throws {
        try await createTable(store)
        let hostile = "x'); DROP TABLE conformance_items; --"
        try await store.execute("INSERT INTO conformance_items (id, body) VALUES (\(hostile), \("$1 ?1 ?"))")
        let row = try await store.first("SELECT id, body FROM conformance_items WHERE id = \(hostile)")
        try expect(try row?.string("id") == hostile, "hostile id stored literally")
        try expect(try row?.string("body") == "$1 ?1 ?", "placeholder-like text stored literally")
    }

    static func uniqueViolation(_ store: any SQLStore) async throws {
        try await createTable(store)
        try await store.execute("INSERT INTO conformance_items (id) VALUES (\("dup"))")
        do {
            try await store.execute("INSERT INTO conformance_items (id) VALUES (\("dup"))")
            throw ConformanceFailure("a duplicate primary key was accepted")
        } catch let error as StoreError {
            try expect(error.code == .uniqueViolation, "expected uniqueViolation, got \(error.code)")
        }
    }

    static func failedStatement(_ store: any SQLStore) async throws {
        let secret = "s3cret-value-\(Int.random(in: 1000...9999))"
        do {
            try await store.execute("SELECT * FROM no_such_table WHERE x = \(secret)")
            throw ConformanceFailure("a query on a missing table succeeded")
        } catch let error as StoreError {
            try expect(error.code == .queryFailed, "expected queryFailed, got \(error.code)")
            try expect(!error.description.contains(secret), "the error description leaks a bound value")
        }
    }

    static func commit(_ store: any SQLStore) async throws {
        try await createTable(store)
        let count = try await store.withTransaction { tx -> Int in
            try await tx.execute("INSERT INTO conformance_items (id) VALUES (\("t1"))")
            try await tx.execute("INSERT INTO conformance_items (id) VALUES (\("t2"))")
            return try await tx.query("SELECT id FROM conformance_items").count
        }
        try expect(count == 2, "the transaction sees its own writes")
        try expect(try await store.query("SELECT id FROM conformance_items").count == 2, "committed rows are visible")
    }

    static func rollback(_ store: any SQLStore) async throws {
        try await createTable(store)
        struct Abort: Error {}
        do {
            try await store.withTransaction { tx in
                try await tx.execute("INSERT INTO conformance_items (id) VALUES (\("r1"))")
                throw Abort()
            }
            throw ConformanceFailure("withTransaction swallowed the body's error")
        } catch is Abort {}
        try expect(try await store.query("SELECT id FROM conformance_items").isEmpty, "rolled-back row is gone")
        try await store.execute("INSERT INTO conformance_items (id) VALUES (\("after"))")
        try expect(try await store.query("SELECT id FROM conformance_items").count == 1, "store usable after rollback")
    }

    static func concurrentTransactions(_ store: any SQLStore) async throws {
        try await createTable(store)
        try await store.execute("INSERT INTO conformance_items (id, n) VALUES (\("counter"), \(0))")
        let workers = 24
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<workers {
                group.addTask {
                    try await store.withTransaction { tx in
                        let lock = tx.dialect == .postgres ? " FOR UPDATE" : ""
                        let row = try await tx.first("SELECT n FROM conformance_items WHERE id = \("counter")\(unsafeRaw: lock)")
                        let n = try row?.int("n") ?? -1
                        try await tx.execute("UPDATE conformance_items SET n = \(n + 1) WHERE id = \("counter")")
                    }
                }
            }
            try await group.waitForAll()
        }
        let final = try await store.first("SELECT n FROM conformance_items WHERE id = \("counter")")
        try expect(try final?.int("n") == Int64(workers), "read-modify-write in \(workers) concurrent transactions lost updates")
    }

    static func upsertReturning(_ store: any SQLStore) async throws {
        try await createTable(store)
        for value in [1, 2] {
            try await store.execute(
                """
                INSERT INTO conformance_items (id, n) VALUES (\("u"), \(value))
                ON CONFLICT (id) DO UPDATE SET n = excluded.n
                """)
        }
        let rows = try await store.query("UPDATE conformance_items SET n = n + 10 WHERE id = \("u") RETURNING n")
        try expect(try rows.first?.int("n") == 12, "upsert then UPDATE … RETURNING")
    }

    static func rowErrors(_ store: any SQLStore) async throws {
        try await createTable(store)
        try await store.execute("INSERT INTO conformance_items (id, n) VALUES (\("e"), \(5))")
        guard let row = try await store.first("SELECT id, n FROM conformance_items") else {
            throw ConformanceFailure("no row")
        }
        do {
            _ = try row.string("missing")
            throw ConformanceFailure("a missing column was read")
        } catch let error as StoreError {
            try expect(error.code == .missingColumn && error.description.contains("missing"), "missing column named")
        }
        do {
            _ = try row.string("n")
            throw ConformanceFailure("an integer was read as text")
        } catch let error as StoreError {
            try expect(error.code == .typeMismatch && error.description.contains("'n'"), "type mismatch names the column")
        }
    }

    static func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
        if !condition { throw ConformanceFailure(message()) }
    }
}

/// Lets a case print its name in parameterised test output without importing Testing here.
public protocol CustomTestStringConvertibleShim {
    /// The name shown for the case.
    var testDescription: String { get }
}

/// A conformance check that failed.
public struct ConformanceFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
