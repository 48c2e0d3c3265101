import HTTPTypes

/// An eduVPN API v3 error: the reference's status codes and messages, answered as `{"error": "…"}`.
struct APIError: Error, Sendable, Equatable {
    var status: HTTPResponse.Status
    var message: String

    static func missing(_ name: String) -> APIError { .init(status: .badRequest, message: "missing post parameter \"\(name)\"") }
    static func invalid(_ name: String) -> APIError { .init(status: .badRequest, message: "invalid value for \"\(name)\"") }
    static let noSuchProfile = APIError(status: .notFound, message: "no such \"profile_id\"")
    static let downloadsOff = APIError(status: .forbidden, message: "no API configuration downloads allowed")
    static let noCommonProtocol = APIError(status: .notAcceptable, message: "no common VPN protocol support between client and server profile")
}
