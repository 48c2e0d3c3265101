/// A 2048-bit OpenVPN static key for `tls-crypt`, one per profile, shared by every node of the profile.
package struct TLSCryptKey: Sendable, Equatable {
    /// The 256 key bytes.
    package let bytes: [UInt8]
    /// OpenVPN's "Static key V1" text: 16 lines of 32 lower-case hex digits between the markers (made once: every
    /// client configuration carries it).
    package let pem: String

    package init(bytes: [UInt8]) throws {
        guard bytes.count == 256 else { throw TLSCryptKeyError() }
        self.bytes = bytes
        self.pem = Self.render(bytes)
    }

    /// A new random key.
    package static func generate() -> [UInt8] { randomBytes(256) }

    private static func render(_ bytes: [UInt8]) -> String {
        let hex = hexString(bytes)
        var lines = ["#", "# 2048 bit OpenVPN static key", "#", "-----BEGIN OpenVPN Static key V1-----"]
        var index = hex.startIndex
        while index < hex.endIndex {
            let end = hex.index(index, offsetBy: 32)
            lines.append(String(hex[index..<end]))
            index = end
        }
        lines.append("-----END OpenVPN Static key V1-----")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// A stored tls-crypt key of the wrong length.
struct TLSCryptKeyError: Error, CustomStringConvertible {
    var description: String { "a tls-crypt key must be 256 bytes" }
}
