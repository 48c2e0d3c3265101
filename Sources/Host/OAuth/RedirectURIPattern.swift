import Foundation

/// A registered redirect URI. `{PORT}` in a loopback URI (`http://127.0.0.1:{PORT}/callback`) stands for any port,
/// as RFC 8252 §7.3 asks of native apps; every other URI must match exactly.
struct RedirectURIPattern: Sendable, Hashable {
    static let portPlaceholder = "{PORT}"
    let text: String

    func matches(_ uri: String) -> Bool {
        guard let placeholder = text.range(of: Self.portPlaceholder) else { return uri == text }
        let prefix = text[..<placeholder.lowerBound]
        let suffix = text[placeholder.upperBound...]
        guard uri.hasPrefix(prefix), uri.hasSuffix(suffix), uri.count > prefix.count + suffix.count else { return false }
        let port = uri.dropFirst(prefix.count).dropLast(suffix.count)
        guard port.count <= 5, port.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int(port) else { return false }
        return (1...65_535).contains(value) && !port.hasPrefix("0")
    }
}
