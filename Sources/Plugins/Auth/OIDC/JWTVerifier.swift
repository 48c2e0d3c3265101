import Crypto
import _CryptoExtras
import Foundation
import PluginAPI

/// Checks an OpenID Connect ID token (a JWS in compact form): the signature against the provider's JWKS (RS256 or
/// ES256, the key chosen by `kid`), then issuer, audience, expiry (with 60 s of leeway), and nonce.
struct JWTVerifier: Sendable {
    struct Failure: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// The provider's keys by `kid` (`""` for a key without one).
    let keys: [String: JWK]
    let issuer: String
    let clientID: String

    enum JWK: Sendable {
        case rsa(_RSA.Signing.PublicKey)
        case p256(P256.Signing.PublicKey)
    }

    /// Reads the keys of a JWKS document, skipping keys of other types or uses.
    static func keys(fromJWKS document: [String: Any]) -> [String: JWK] {
        var keys: [String: JWK] = [:]
        for entry in document["keys"] as? [[String: Any]] ?? [] {
            if let use = entry["use"] as? String, use != "sig" { continue }
            let kid = entry["kid"] as? String ?? ""
            switch entry["kty"] as? String {
            case "RSA":
                guard let n = (entry["n"] as? String).flatMap(base64URL), let e = (entry["e"] as? String).flatMap(base64URL),
                    let key = try? _RSA.Signing.PublicKey(n: n, e: e)
                else { continue }
                keys[kid] = .rsa(key)
            case "EC":
                guard entry["crv"] as? String == "P-256", let x = (entry["x"] as? String).flatMap(base64URL),
                    let y = (entry["y"] as? String).flatMap(base64URL), x.count == 32, y.count == 32,
                    let key = try? P256.Signing.PublicKey(rawRepresentation: x + y)
                else { continue }
                keys[kid] = .p256(key)
            default: continue
            }
        }
        return keys
    }

    /// The token's claims after every check.
    func verify(_ token: String, nonce: String, now: Int64) throws -> [String: Any] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count <= 16_384,
            let headerBytes = Self.base64URL(String(parts[0])), let payloadBytes = Self.base64URL(String(parts[1])),
            let signature = Self.base64URL(String(parts[2])),
            let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any],
            let claims = try? JSONSerialization.jsonObject(with: payloadBytes) as? [String: Any]
        else { throw Failure(description: "the ID token is not a signed JWT") }
        let signed = Data((parts[0] + "." + parts[1]).utf8)
        let kid = header["kid"] as? String ?? ""
        guard let key = keys[kid] ?? (kid.isEmpty && keys.count == 1 ? keys.values.first : nil) else {
            throw Failure(description: "the ID token's key '\(kid)' is not in the provider's JWKS")
        }
        switch (header["alg"] as? String, key) {
        case ("RS256", .rsa(let key)):
            guard key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: signature), for: SHA256.hash(data: signed), padding: .insecurePKCS1v1_5) else {
                throw Failure(description: "the ID token's signature is wrong")
            }
        case ("ES256", .p256(let key)):
            guard let ecdsa = try? P256.Signing.ECDSASignature(rawRepresentation: signature), key.isValidSignature(ecdsa, for: signed) else {
                throw Failure(description: "the ID token's signature is wrong")
            }
        case (let alg, _):
            throw Failure(description: "the ID token's algorithm '\(alg ?? "none")' is not accepted (RS256, ES256)")
        }
        guard claims["iss"] as? String == issuer else { throw Failure(description: "the ID token is from another issuer") }
        let audiences = (claims["aud"] as? [String]) ?? (claims["aud"] as? String).map { [$0] } ?? []
        guard audiences.contains(clientID) else { throw Failure(description: "the ID token is for another client") }
        guard let expiry = (claims["exp"] as? NSNumber)?.int64Value, expiry + 60 > now else {
            throw Failure(description: "the ID token has expired")
        }
        guard let sent = claims["nonce"] as? String, ConstantTime.equals(Array(sent.utf8), Array(nonce.utf8)) else {
            throw Failure(description: "the ID token's nonce does not match this login")
        }
        return claims
    }

    static func base64URL(_ text: String) -> Data? {
        var standard = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while standard.count % 4 != 0 { standard += "=" }
        return Data(base64Encoded: standard)
    }
}
