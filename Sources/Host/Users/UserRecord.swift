import PluginAPI

/// A user as the host's directory knows them.
struct UserRecord: Sendable, Equatable {
    var userID: String
    var displayName: String?
    var authProvider: String
    var isAdmin: Bool
    var disabled: Bool
    var permissions: [String]
    var createdAt: Int64

    /// One line for `portolan user list`: id, flags, provider, permissions.
    var listLine: String {
        var flags: [String] = []
        if isAdmin { flags.append("admin") }
        if disabled { flags.append("disabled") }
        let permissionText = permissions.isEmpty ? "-" : permissions.joined(separator: ",")
        return [userID, flags.isEmpty ? "-" : flags.joined(separator: ","), authProvider, permissionText]
            .joined(separator: "\t")
    }

    /// Whether `text` may be a user id: 1 to 128 characters, no spaces or control characters.
    static func isValidID(_ text: String) -> Bool {
        !text.isEmpty && text.count <= 128
            && text.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value != 0x7F && !$0.properties.isWhitespace }
    }
}
