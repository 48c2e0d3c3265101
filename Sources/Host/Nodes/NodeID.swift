/// Node ids: what the registry, profiles and certificates call a node.
enum NodeID {
    /// 1 to 63 lower-case letters, digits and `-`, not starting with `-` (a DNS label: it goes into certificates).
    static func isValid(_ text: String) -> Bool {
        guard let first = text.utf8.first, first != 0x2D, text.utf8.count <= 63 else { return false }
        return text.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
    }
}
