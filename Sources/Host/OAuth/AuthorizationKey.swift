/// An authorization's identity: 16 random bytes, shown as 32 lowercase hex digits in the store.
struct AuthorizationKey: Sendable, Hashable, CustomStringConvertible {
    static let byteCount = 16
    let bytes: [UInt8]

    static func random() -> AuthorizationKey { AuthorizationKey(bytes: randomBytes(byteCount)) }

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// Parses 32 hex digits.
    init?(hex: String) {
        guard hex.utf8.count == Self.byteCount * 2 else { return nil }
        var bytes: [UInt8] = []
        var index = hex.startIndex
        while index < hex.endIndex {
            let next = hex.index(index, offsetBy: 2)
            guard let byte = UInt8(hex[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.bytes = bytes
    }

    var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
    var description: String { hex }
}
