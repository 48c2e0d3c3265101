/// RFC 4515 string filters, such as `(&(objectClass=person)(uid={{UID}}))`, turned into LDAP's BER filter, and the
/// escaping that keeps a user name a value (`*)(uid=*` matches only that literal string).
enum LDAPFilter {
    struct ParseError: Error, Equatable, CustomStringConvertible {
        var description: String
    }

    /// RFC 4515 §3 escaping: `*`, `(`, `)`, `\` and NUL as `\XX`, plus every non-printable-ASCII byte.
    static func escape(_ value: String) -> String {
        var escaped = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "*"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "\\"), 0, 0x80...0xFF, 0x01...0x1F, 0x7F:
                escaped += "\\" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
            default:
                escaped.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return escaped
    }

    /// Parses a whole filter string.
    static func parse(_ text: String) throws -> BERElement {
        var parser = Parser(bytes: Array(text.utf8))
        let filter = try parser.filter()
        guard parser.index == parser.bytes.count else { throw ParseError(description: "text after the filter in '\(text)'") }
        return filter
    }

    private struct Parser {
        let bytes: [UInt8]
        var index = 0

        mutating func expect(_ byte: UInt8) throws {
            guard index < bytes.count, bytes[index] == byte else {
                throw ParseError(description: "expected '\(Character(Unicode.Scalar(byte)))' at position \(index)")
            }
            index += 1
        }

        mutating func filter() throws -> BERElement {
            try expect(UInt8(ascii: "("))
            guard index < bytes.count else { throw ParseError(description: "unfinished filter") }
            let element: BERElement
            switch bytes[index] {
            case UInt8(ascii: "&"), UInt8(ascii: "|"):
                let tag = BERElement.context(bytes[index] == UInt8(ascii: "&") ? 0 : 1, constructed: true)
                index += 1
                var parts: [BERElement] = []
                while index < bytes.count, bytes[index] == UInt8(ascii: "(") { parts.append(try filter()) }
                guard !parts.isEmpty else { throw ParseError(description: "an empty & or | filter") }
                element = .constructed(tag, parts)
            case UInt8(ascii: "!"):
                index += 1
                element = .constructed(BERElement.context(2, constructed: true), [try filter()])
            default:
                element = try item()
            }
            try expect(UInt8(ascii: ")"))
            return element
        }

        /// `attr=value`, `attr=*` (presence), `attr=a*b*c` (substrings), `attr>=v`, `attr<=v`.
        mutating func item() throws -> BERElement {
            let start = index
            while index < bytes.count, !"=<>~()".utf8.contains(bytes[index]) { index += 1 }
            let attribute = Array(bytes[start..<index])
            guard !attribute.isEmpty, index < bytes.count else { throw ParseError(description: "no attribute at position \(start)") }
            var kind = UInt8(ascii: "=")
            if bytes[index] != UInt8(ascii: "=") {
                kind = bytes[index]
                index += 1
            }
            try expect(UInt8(ascii: "="))
            let valueStart = index
            while index < bytes.count, bytes[index] != UInt8(ascii: ")") { index += 1 }
            let raw = Array(bytes[valueStart..<index])
            let description = BERElement(tag: BERElement.octetString, value: attribute)
            switch kind {
            case UInt8(ascii: ">"):
                return .constructed(BERElement.context(5, constructed: true), [description, BERElement(tag: BERElement.octetString, value: try unescape(raw))])
            case UInt8(ascii: "<"):
                return .constructed(BERElement.context(6, constructed: true), [description, BERElement(tag: BERElement.octetString, value: try unescape(raw))])
            case UInt8(ascii: "="):
                break
            default:
                throw ParseError(description: "unsupported filter type '\(Character(Unicode.Scalar(kind)))='")
            }
            if raw == [UInt8(ascii: "*")] { return BERElement(tag: BERElement.context(7), value: attribute) }
            let pieces = raw.split(separator: UInt8(ascii: "*"), omittingEmptySubsequences: false)
            if pieces.count == 1 {
                return .constructed(BERElement.context(3, constructed: true), [description, BERElement(tag: BERElement.octetString, value: try unescape(raw))])
            }
            var substrings: [BERElement] = []
            for (position, piece) in pieces.enumerated() where !piece.isEmpty {
                let tag: UInt8 = position == 0 ? 0 : (position == pieces.count - 1 ? 2 : 1)
                substrings.append(BERElement(tag: BERElement.context(tag), value: try unescape(Array(piece))))
            }
            return .constructed(BERElement.context(4, constructed: true), [description, .constructed(BERElement.sequence, substrings)])
        }

        func unescape(_ raw: [UInt8]) throws -> [UInt8] {
            var result: [UInt8] = []
            var position = 0
            while position < raw.count {
                if raw[position] == UInt8(ascii: "\\") {
                    guard position + 2 < raw.count,
                        let byte = UInt8(String(decoding: raw[(position + 1)...(position + 2)], as: UTF8.self), radix: 16)
                    else { throw ParseError(description: "a bad or truncated \\XX escape") }
                    result.append(byte)
                    position += 3
                } else {
                    result.append(raw[position])
                    position += 1
                }
            }
            return result
        }
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String { String(repeating: "0", count: max(0, width - count)) + self }
}
