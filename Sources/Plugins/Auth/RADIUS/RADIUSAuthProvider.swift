import Foundation
import Logging
import PluginAPI

/// Password login against RADIUS (PAP). Every user name is RADIUS's to judge: a reject refuses the login (it does not
/// fall through to the next provider). Permissions come from the values of one reply attribute, such as `Class` (25)
/// or `Filter-Id` (11).
struct RADIUSAuthProvider: AuthProvider {
    let id = "radius"
    let client: RADIUSClient
    let permissionAttribute: UInt8?
    /// Appended to the user name sent to RADIUS, such as `@example.org` (`realm`).
    let realm: String?

    func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Identity? {
        let userName = credentials.username + (realm ?? "")
        guard Self.isAcceptable(credentials.username), credentials.password.value.utf8.count <= 128 else {
            throw PluginError.invalidRequest("the user name or password cannot be sent to RADIUS (too long or control characters)")
        }
        switch try await client.authenticate(userName: userName, password: credentials.password.value, logger: context.logger) {
        case .rejected, .challenged:
            throw AuthFailure.invalidCredentials()
        case .accepted(let packet):
            var permissions = Set<String>()
            if let permissionAttribute {
                for value in packet.values(permissionAttribute) {
                    let text = String(decoding: value, as: UTF8.self).trimmingCharacters(in: .whitespaces)
                    if !text.isEmpty, text.utf8.count <= 255 { permissions.insert(text) }
                }
            }
            return Identity(userID: credentials.username, permissions: permissions, authProvider: id)
        }
    }

    /// 1 to 253 bytes of UTF-8 without control characters.
    static func isAcceptable(_ userName: String) -> Bool {
        (1...253).contains(userName.utf8.count) && !userName.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
