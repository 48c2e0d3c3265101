import Testing

@testable import AuthPlugin

@Suite("TOTP")
struct TOTPTests {
    /// RFC 6238 appendix B (SHA-1 seed), truncated to 6 digits as apps use it.
    @Test func rfc6238Vectors() {
        let seed = Array("12345678901234567890".utf8)
        let vectors: [(Int64, String)] = [(59, "287082"), (1_111_111_109, "081804"), (1_111_111_111, "050471"), (1_234_567_890, "005924"), (2_000_000_000, "279037")]
        for (time, code) in vectors {
            #expect(TOTP.code(secret: seed, step: TOTP.step(at: time)) == code, "\(time)")
        }
        #expect(TOTP.matchingStep(secret: seed, code: "287082", now: 59 + 30) == 1, "one step of clock drift is accepted")
        #expect(TOTP.matchingStep(secret: seed, code: "287082", now: 59 + 90) == nil)
        #expect(TOTP.matchingStep(secret: seed, code: "28708", now: 59) == nil && TOTP.matchingStep(secret: seed, code: "2870a2", now: 59) == nil)
        #expect(TOTP.base32(Array("foobar".utf8)) == "MZXW6YTBOI")
    }
}
