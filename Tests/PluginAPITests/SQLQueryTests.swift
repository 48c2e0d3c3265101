import PluginAPI
import Testing

@Suite("SQLQuery")
struct SQLQueryTests {
    @Test func interpolationsBecomeBindsPerDialect() {
        let name = "O'Brien"
        let query: SQLQuery = "SELECT * FROM users WHERE name = \(name) AND age > \(30) AND admin = \(true)"
        let postgres = query.rendered(for: .postgres)
        #expect(postgres.sql == "SELECT * FROM users WHERE name = $1 AND age > $2 AND admin = $3")
        #expect(postgres.binds == [.text("O'Brien"), .integer(30), .integer(1)])
        #expect(query.rendered(for: .sqlite).sql == "SELECT * FROM users WHERE name = ?1 AND age > ?2 AND admin = ?3")
        #expect(!query.description.contains("O'Brien"), "descriptions never show bound values")
    }

    @Test func optionalsBlobsAndRawText() {
        let missing: String? = nil
        var query: SQLQuery = "INSERT INTO \(unsafeRaw: "t") (a, b) VALUES (\(missing), \([UInt8]([1, 2])))"
        query.append(" RETURNING a")
        let rendered = query.rendered(for: .postgres)
        #expect(rendered.sql == "INSERT INTO t (a, b) VALUES ($1, $2) RETURNING a")
        #expect(rendered.binds == [.null, .blob([1, 2])])
    }

    @Test func rowAccessorsNameTheColumn() throws {
        let row = SQLRow(columns: ["id", "n"], values: [.text("x"), .integer(3)])
        #expect(try row.string("id") == "x")
        #expect(try row.int("n") == 3)
        #expect(try row.double("n") == 3)
        #expect(throws: StoreError.missingColumn("nope")) { try row.string("nope") }
        #expect(throws: StoreError.typeMismatch("n", expected: "text")) { try row.string("n") }
    }
}
