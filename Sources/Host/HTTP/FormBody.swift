import Foundation
import Hummingbird

/// `application/x-www-form-urlencoded` fields (also a URL's query), with repeats kept so that callers can refuse
/// them where OAuth says a parameter must not repeat.
struct FormBody: Sendable {
    static let maximumBytes = 16 * 1024
    private(set) var fields: [(name: String, value: String)] = []
    /// Whether a name or value was not UTF-8 (it was decoded with U+FFFD in place of the bad bytes).
    private(set) var hasInvalidUTF8 = false

    init(encoded text: Substring) {
        for pair in text.split(separator: "&") where !pair.isEmpty {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = Self.decode(parts[0]), value = parts.count > 1 ? Self.decode(parts[1]) : (text: "", valid: true)
            hasInvalidUTF8 = hasInvalidUTF8 || !name.valid || !value.valid
            fields.append((name.text, value.text))
        }
    }

    /// Reads a request's form body (at most 16 KiB).
    static func read(_ request: Request, context: some RequestContext) async throws -> FormBody {
        var request = request
        let buffer = try await request.collectBody(upTo: maximumBytes)
        return FormBody(encoded: Substring(String(buffer: buffer)))
    }

    /// The value of `name` when it appears once; `.repeated` when more than once.
    func single(_ name: String) -> Lookup {
        let values = fields.filter { $0.name == name }
        switch values.count {
        case 0: return .missing
        case 1: return .value(values[0].value)
        default: return .repeated
        }
    }

    /// The first value of `name`, or `nil`.
    subscript(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    enum Lookup: Equatable {
        case missing, repeated, value(String)
    }

    /// `+` as space and `%XX` escapes, on the UTF-8 bytes (no Foundation bridging: this runs on every token
    /// request). A malformed escape stays as written; invalid UTF-8 becomes U+FFFD.
    private static func decode(_ text: Substring) -> (text: String, valid: Bool) {
        let utf8 = text.utf8
        guard utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return (String(text), true) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(utf8.count)
        var index = utf8.startIndex
        while index < utf8.endIndex {
            let byte = utf8[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), let high = utf8.index(index, offsetBy: 1, limitedBy: utf8.endIndex),
                high < utf8.endIndex, let low = utf8.index(high, offsetBy: 1, limitedBy: utf8.endIndex), low < utf8.endIndex,
                let h = hexValue(utf8[high]), let l = hexValue(utf8[low])
            {
                bytes.append(h << 4 | l)
                index = low
            } else {
                bytes.append(byte)
            }
            index = utf8.index(after: index)
        }
        if let valid = String(validating: bytes, as: UTF8.self) { return (valid, true) }
        return (String(decoding: bytes, as: UTF8.self), false)
    }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
