/// What changed, as replicas tell each other so that caches drop stale entries.
enum ChangeMessage: Sendable, Equatable {
    /// An authorization ended (its 32-hex key).
    case authorization(String)
    /// A user changed (disabled, deleted, permissions) or all their authorizations ended.
    case user(String)
    /// Configurations stopped being valid (`credential_revocations` grew): nodes waiting for revocations look.
    case revocations
    /// Anything may have changed (a missed notification, a write by another process on SQLite).
    case everything

    var text: String {
        switch self {
        case .authorization(let key): "a:\(key)"
        case .user(let id): "u:\(id)"
        case .revocations: "r"
        case .everything: "*"
        }
    }

    init?(text: String) {
        if text == "*" {
            self = .everything
        } else if text == "r" {
            self = .revocations
        } else if text.hasPrefix("a:") {
            self = .authorization(String(text.dropFirst(2)))
        } else if text.hasPrefix("u:") {
            self = .user(String(text.dropFirst(2)))
        } else {
            return nil
        }
    }
}
