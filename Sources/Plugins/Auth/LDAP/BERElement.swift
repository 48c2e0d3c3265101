/// One BER element as LDAP uses it (RFC 4511 §5.1): a one-byte identifier, a definite length, the contents.
/// Enough of X.690 for LDAP's messages; not a general ASN.1 library.
struct BERElement: Sendable, Equatable {
    /// The identifier octet: class, constructed bit and tag number (LDAP's tags all fit in one octet).
    var tag: UInt8
    var value: [UInt8]

    // Universal tags.
    static let boolean: UInt8 = 0x01
    static let integer: UInt8 = 0x02
    static let octetString: UInt8 = 0x04
    static let null: UInt8 = 0x05
    static let enumerated: UInt8 = 0x0A
    static let sequence: UInt8 = 0x30
    static let set: UInt8 = 0x31

    /// `[APPLICATION n]`, constructed or primitive.
    static func application(_ number: UInt8, constructed: Bool = true) -> UInt8 { 0x40 | (constructed ? 0x20 : 0) | number }
    /// `[n]` context-specific, constructed or primitive.
    static func context(_ number: UInt8, constructed: Bool = false) -> UInt8 { 0x80 | (constructed ? 0x20 : 0) | number }

    static func constructed(_ tag: UInt8, _ children: [BERElement]) -> BERElement {
        BERElement(tag: tag, value: children.flatMap { $0.encoded() })
    }

    static func string(_ text: String, tag: UInt8 = octetString) -> BERElement { BERElement(tag: tag, value: Array(text.utf8)) }

    static func integer(_ number: Int, tag: UInt8 = integer) -> BERElement {
        var bytes: [UInt8] = []
        var remaining = number
        repeat {
            bytes.insert(UInt8(truncatingIfNeeded: remaining), at: 0)
            remaining >>= 8
        } while remaining != 0 && remaining != -1
        if number >= 0, bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        if number < 0, bytes[0] & 0x80 == 0 { bytes.insert(0xFF, at: 0) }
        return BERElement(tag: tag, value: bytes)
    }

    static func boolean(_ flag: Bool) -> BERElement { BERElement(tag: boolean, value: [flag ? 0xFF : 0x00]) }

    func encoded() -> [UInt8] {
        var bytes = [tag]
        let count = value.count
        if count < 0x80 {
            bytes.append(UInt8(count))
        } else {
            var length: [UInt8] = []
            var remaining = count
            while remaining > 0 {
                length.insert(UInt8(remaining & 0xFF), at: 0)
                remaining >>= 8
            }
            bytes.append(0x80 | UInt8(length.count))
            bytes += length
        }
        return bytes + value
    }

    enum DecodingError: Error, Equatable, CustomStringConvertible {
        case truncated, indefiniteLength, tooLong(Int), unexpected(String)
        var description: String {
            switch self {
            case .truncated: "truncated BER element"
            case .indefiniteLength: "indefinite BER length"
            case .tooLong(let length): "BER element of \(length) bytes is too long"
            case .unexpected(let what): "unexpected LDAP message: \(what)"
            }
        }
    }

    static let maximumLength = 4 * 1024 * 1024

    /// The length of the whole element at the start of `bytes`, or `nil` when more bytes are needed.
    static func frameLength(_ bytes: some Collection<UInt8>) throws -> Int? {
        var iterator = bytes.makeIterator()
        guard iterator.next() != nil, let first = iterator.next() else { return nil }
        var header = 2
        var length = Int(first)
        if first & 0x80 != 0 {
            let count = Int(first & 0x7F)
            guard count != 0 else { throw DecodingError.indefiniteLength }
            guard count <= 4 else { throw DecodingError.tooLong(count) }
            length = 0
            for _ in 0..<count {
                guard let byte = iterator.next() else { return nil }
                length = length << 8 | Int(byte)
            }
            header += count
        }
        guard length <= maximumLength else { throw DecodingError.tooLong(length) }
        return bytes.count >= header + length ? header + length : nil
    }

    /// Decodes the elements that make up `bytes` (a constructed element's contents, or a whole frame).
    static func decodeAll(_ bytes: ArraySlice<UInt8>) throws -> [BERElement] {
        var elements: [BERElement] = []
        var rest = bytes
        while !rest.isEmpty {
            guard let total = try frameLength(rest) else { throw DecodingError.truncated }
            let headerEnd = rest.startIndex + total - contentLength(rest)
            elements.append(BERElement(tag: rest[rest.startIndex], value: Array(rest[headerEnd..<(rest.startIndex + total)])))
            rest = rest[(rest.startIndex + total)...]
        }
        return elements
    }

    private static func contentLength(_ bytes: ArraySlice<UInt8>) -> Int {
        let first = bytes[bytes.startIndex + 1]
        guard first & 0x80 != 0 else { return Int(first) }
        var length = 0
        for index in 0..<Int(first & 0x7F) { length = length << 8 | Int(bytes[bytes.startIndex + 2 + index]) }
        return length
    }

    var children: [BERElement] { get throws { try Self.decodeAll(value[...]) } }
    var text: String { String(decoding: value, as: UTF8.self) }
    var intValue: Int {
        guard let first = value.first else { return 0 }
        return value.dropFirst().reduce(Int(Int8(bitPattern: first))) { $0 << 8 | Int($1) }
    }
}
