import Foundation
import HTTPTypes
import PluginAPI

/// `login.proxy_headers`: a web server in front (Shibboleth, mod_auth_mellon, mod_auth_openidc) logs the user in and
/// passes who it is in request headers. Believed only from `server.trusted_proxies` peers.
struct ProxyHeaderSettings: Sendable, Equatable {
    /// The header carrying the user id, such as `X-Remote-User`.
    var userID: String
    /// A header with the display name, if any.
    var displayName: String?
    /// A header with permissions (entitlements, affiliations), split at `separator`.
    var permissions: String?
    var separator: String

    init?(reader: ConfigReader) throws {
        guard reader.contains("user_id") || reader.contains("permissions") || reader.contains("display_name") else { return nil }
        userID = try reader.string("user_id")
        displayName = try reader.optionalString("display_name")
        permissions = try reader.optionalString("permissions")
        separator = try reader.string("separator", default: ";")
        for (key, name) in [("user_id", userID), ("display_name", displayName), ("permissions", permissions)] {
            guard let name else { continue }
            guard HTTPField.Name(name) != nil else {
                throw reader.error(key, "'\(name)' is not an HTTP header name")
            }
        }
        guard !separator.isEmpty else { throw reader.error("separator", "is empty") }
    }

    /// The identity the headers carry, or `nil` when the user header is absent or empty.
    func identity(header: (String) -> String?) -> Identity? {
        guard let userID = header(userID)?.trimmingCharacters(in: .whitespaces), !userID.isEmpty else { return nil }
        let permissions = (permissions.flatMap(header) ?? "").components(separatedBy: separator)
            .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty && $0.utf8.count <= 255 }
        return Identity(
            userID: userID, displayName: displayName.flatMap(header), permissions: Set(permissions), authProvider: "proxy-headers")
    }
}
