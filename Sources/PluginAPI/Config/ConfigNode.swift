/// One value of the configuration tree, as parsed from the configuration file.
///
/// The host parses the file (YAML) into this tree; plugins read it only through ``ConfigReader``.
public enum ConfigNode: Sendable, Equatable {
    /// A scalar, kept as written; ``ConfigReader`` converts it to the type a key needs.
    case scalar(String)
    /// An explicit null (`~`, `null` or an empty value).
    case null
    /// A list.
    case list([ConfigNode])
    /// A map with its keys in file order.
    case map([(key: String, value: ConfigNode)])

    /// An empty map.
    public static let emptyMap = ConfigNode.map([])

    /// The value under `key` when this node is a map.
    /// - Parameter key: a direct child key.
    /// - Returns: the child, or `nil` when absent or when this node is not a map.
    public func child(_ key: String) -> ConfigNode? {
        guard case .map(let entries) = self else { return nil }
        return entries.first { $0.key == key }?.value
    }

    /// A short name of the node's kind for error messages: `a string`, `a list`, `a map`, `null`.
    public var kindDescription: String {
        switch self {
        case .scalar: "a scalar"
        case .null: "null"
        case .list: "a list"
        case .map: "a map"
        }
    }

    /// Nodes are equal when their kinds and contents are.
    public static func == (lhs: ConfigNode, rhs: ConfigNode) -> Bool {
        switch (lhs, rhs) {
        case (.scalar(let a), .scalar(let b)): a == b
        case (.null, .null): true
        case (.list(let a), .list(let b)): a == b
        case (.map(let a), .map(let b)): a.map(\.key) == b.map(\.key) && a.map(\.value) == b.map(\.value)
        default: false
        }
    }
}
