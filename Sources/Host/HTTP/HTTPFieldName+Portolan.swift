import HTTPTypes

/// Header names HTTPTypes has no constant for. The literals are valid field names, so the fallbacks never apply;
/// they keep force unwraps out of `Sources/` (STYLE §35).
extension HTTPField.Name {
    static let xForwardedFor = HTTPField.Name("X-Forwarded-For") ?? .via
    static let xForwardedProto = HTTPField.Name("X-Forwarded-Proto") ?? .via
    static let xForwardedHost = HTTPField.Name("X-Forwarded-Host") ?? .via
    static let xFrameOptions = HTTPField.Name("X-Frame-Options") ?? .via
    static let xContentTypeOptions = HTTPField.Name("X-Content-Type-Options") ?? .via
    static let referrerPolicy = HTTPField.Name("Referrer-Policy") ?? .via
    static let pragma = HTTPField.Name("Pragma") ?? .via
}
