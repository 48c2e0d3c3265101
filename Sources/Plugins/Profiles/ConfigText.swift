/// Checks for configuration text that ends up inside rendered OpenVPN configurations, where a quote, a space or a
/// line break would change the directives.
enum ConfigText {
    /// Whether `text` is a DNS name: dot-separated labels of letters, digits and `-`, at most 253 characters.
    static func isHostName(_ text: String) -> Bool {
        guard !text.isEmpty, text.utf8.count <= 253 else { return false }
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return labels.allSatisfy { label in
            !label.isEmpty && label.utf8.count <= 63 && !label.hasPrefix("-") && !label.hasSuffix("-")
                && label.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                }
        }
    }
}
