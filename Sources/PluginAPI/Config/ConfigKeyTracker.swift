import Synchronization

/// Records which configuration keys were read, so that the host can report every key nobody read as unknown.
///
/// Shared by all the readers made from one tree. Reads happen at boot; a `Mutex` keeps it `Sendable`.
public final class ConfigKeyTracker: Sendable {
    private let consumed = Mutex<Set<String>>([])
    private let ignored = Mutex<Set<String>>([])

    /// Creates an empty tracker.
    public init() {}

    /// Marks a key path as read.
    /// - Parameter path: the full dotted key path.
    public func markRead(_ path: String) {
        _ = consumed.withLock { $0.insert(path) }
    }

    /// Treats every key under `path` as read (for the section of a disabled plugin).
    /// - Parameter path: the full dotted key path of the section.
    public func ignoreSubtree(_ path: String) {
        _ = ignored.withLock { $0.insert(path) }
    }

    /// Whether a key path was read.
    /// - Parameter path: the full dotted key path.
    /// - Returns: `true` once any reader has read it.
    public func wasRead(_ path: String) -> Bool {
        consumed.withLock { $0.contains(path) }
    }

    /// Every key path in `root` that nobody read, in file order.
    /// - Parameter root: the tree the readers were made from.
    /// - Returns: the dotted paths of unknown keys.
    public func unreadKeys(in root: ConfigNode) -> [String] {
        var unknown: [String] = []
        collect(root, path: "", into: &unknown)
        return unknown
    }

    private func collect(_ node: ConfigNode, path: String, into unknown: inout [String]) {
        switch node {
        case .map(let entries):
            for entry in entries {
                let childPath = path.isEmpty ? entry.key : "\(path).\(entry.key)"
                if ignored.withLock({ $0.contains(childPath) }) {
                    continue
                } else if wasRead(childPath) {
                    collect(entry.value, path: childPath, into: &unknown)
                } else {
                    unknown.append(childPath)
                }
            }
        case .list(let items):
            for (index, item) in items.enumerated() {
                collect(item, path: "\(path)[\(index)]", into: &unknown)
            }
        case .scalar, .null:
            break
        }
    }
}
