/// The stable identifier of a plugin, such as `local-auth` or `openvpn`.
///
/// It names the plugin's configuration section (`plugins.<id>`), scopes its migrations and its secrets,
/// and appears in logs as `plugin.id`. Lower-case letters, digits and `-`, starting with a letter, at most 40.
///
/// ```swift
/// static let id: PluginID = "local-auth"
/// ```
public struct PluginID: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringLiteral {
    /// The identifier text.
    public let rawValue: String

    /// Creates an identifier, or returns `nil` when `rawValue` is not a valid plugin id.
    /// - Parameter rawValue: lower-case letters, digits and `-`, starting with a letter, 1 to 40 characters.
    public init?(_ rawValue: String) {
        guard Self.isValid(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    /// Creates an identifier from a literal.
    /// > Important: the literal must be a valid id; an invalid literal is a programming error and traps.
    public init(stringLiteral value: String) {
        precondition(Self.isValid(value), "invalid plugin id literal '\(value)'")
        self.rawValue = value
    }

    /// The identifier text.
    public var description: String { rawValue }

    /// Whether `text` is a valid plugin id.
    /// - Parameter text: the candidate.
    /// - Returns: `true` for lower-case letters, digits and `-`, starting with a letter, 1 to 40 characters.
    public static func isValid(_ text: String) -> Bool {
        guard let first = text.unicodeScalars.first, text.unicodeScalars.count <= 40 else { return false }
        guard ("a"..."z").contains(first) else { return false }
        return text.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" }
    }
}
