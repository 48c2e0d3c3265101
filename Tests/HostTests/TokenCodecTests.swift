import Foundation
import Testing

@testable import Host

@Suite("Token codec")
struct TokenCodecTests {
    @Test func base64URLRoundTripsAndRefusesNonCanonicalText() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<70 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let text = Base64URL.encode(bytes)
            let foundation = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
                .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
            #expect(text == foundation, "length \(length)")
            #expect(Base64URL.decode(Array(text.utf8)) == bytes, "length \(length)")
        }
        #expect(Base64URL.decode(Array("AB".utf8)) == nil, "unused bits set")
        #expect(Base64URL.decode(Array("AA".utf8)) == [0])
        #expect(Base64URL.decode(Array("A".utf8)) == nil)
        #expect(Base64URL.decode(Array("AA+A".utf8)) == nil && Base64URL.decode(Array("AA==".utf8)) == nil)
    }

    @Test func tokensCarryTheirClaimsAndRefuseAnyChange() throws {
        let codec = TokenCodec(secret: Array(repeating: 7, count: 32))
        let claims = TokenCodec.Claims(kind: .refreshToken, authorizationKey: .random(), generation: 41, expiresAt: 1_900_000_000)
        let token = codec.encode(claims)
        #expect(codec.decode(token, as: .refreshToken) == claims)
        #expect(codec.decode(token, as: .accessToken) == nil, "a refresh token is no access token")
        #expect(TokenCodec(secret: Array(repeating: 8, count: 32)).decode(token, as: .refreshToken) == nil, "another key")
        let characters = Array(token)
        for index in characters.indices where characters[index] != "." {
            var changed = characters
            changed[index] = changed[index] == "A" ? "B" : "A"
            #expect(codec.decode(String(changed), as: .refreshToken) == nil, "changed at \(index)")
        }
        #expect(codec.decode(token + "A", as: .refreshToken) == nil)
        #expect(codec.decode("", as: .refreshToken) == nil && codec.decode("ptr..", as: .refreshToken) == nil)
        #expect(AuthorizationKey(hex: claims.authorizationKey.hex) == claims.authorizationKey)
        #expect(AuthorizationKey(hex: "zz") == nil)
    }
}

@Suite("Form bodies")
struct FormBodyTests {
    @Test func decodesPercentPlusAndUTF8AndKeepsRepeats() {
        let form = FormBody(encoded: "a=1+2&b=%C3%A9t%C3%A9&c=%zz%4&d&e=&a=3&f=%2B%26%3D")
        #expect(form["a"] == "1 2" && form.single("a") == .repeated)
        #expect(form["b"] == "été")
        #expect(form["c"] == "%zz%4", "malformed escapes stay as written")
        #expect(form["d"] == "" && form["e"] == "" && form.single("d") == .value(""))
        #expect(form["f"] == "+&=")
        #expect(form.single("missing") == .missing)
        #expect(FormBody(encoded: "x=%FF").single("x") == .value("\u{FFFD}"))
    }
}
