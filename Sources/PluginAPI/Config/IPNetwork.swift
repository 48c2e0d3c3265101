#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR notation, such as `10.42.0.0/24` or `fd42::/64`.
///
/// ```swift
/// let range = try IPNetwork(parsing: "10.42.0.0/24")
/// range.addressCount    // 256
/// ```
public struct IPNetwork: Hashable, Sendable, CustomStringConvertible {
    /// Why a text is not a valid network.
    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        /// What is wrong, naming the text.
        public let description: String
    }

    /// The network address bytes: 4 for IPv4, 16 for IPv6. Host bits are zero.
    public let address: [UInt8]
    /// The prefix length: 0...32 for IPv4, 0...128 for IPv6.
    public let prefixLength: Int

    /// Whether this is an IPv4 network.
    public var isIPv4: Bool { address.count == 4 }

    /// Parses `ADDRESS/PREFIX`.
    /// - Parameter text: such as `10.0.0.0/8`; host bits must be zero.
    /// - Throws: ``ParseError`` saying what is wrong.
    public init(parsing text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw ParseError(description: "'\(text)' is not in CIDR notation ADDRESS/PREFIX") }
        guard let bytes = Self.parseAddress(String(parts[0])) else {
            throw ParseError(description: "'\(text)' does not start with a valid IPv4 or IPv6 address")
        }
        let maxPrefix = bytes.count * 8
        guard let prefix = Int(parts[1]), (0...maxPrefix).contains(prefix) else {
            throw ParseError(description: "'\(text)' has an invalid prefix length (0...\(maxPrefix))")
        }
        let network = Self.masked(bytes, prefix: prefix)
        guard network == bytes else {
            let suggestion = IPNetwork(address: network, prefixLength: prefix)
            throw ParseError(description: "'\(text)' has host bits set; did you mean \(suggestion)?")
        }
        self.address = network
        self.prefixLength = prefix
    }

    /// Creates a network from bytes, zeroing the host bits.
    /// - Parameters:
    ///   - address: 4 or 16 bytes.
    ///   - prefixLength: the prefix length.
    /// Whether the address `text` lies in this network. An IPv4-mapped IPv6 address (`::ffff:192.0.2.1`) counts as
    /// its IPv4 address.
    /// - Parameter text: an IPv4 or IPv6 address.
    /// - Returns: `false` for text that is not an address.
    public func contains(address text: String) -> Bool {
        guard var bytes = Self.parseAddress(text) else { return false }
        if bytes.count == 16, isIPv4, bytes[0..<10].allSatisfy({ $0 == 0 }), bytes[10] == 0xFF, bytes[11] == 0xFF {
            bytes = Array(bytes[12...])
        }
        return bytes.count == address.count && Self.masked(bytes, prefix: prefixLength) == address
    }

    public init(address: [UInt8], prefixLength: Int) {
        precondition(address.count == 4 || address.count == 16, "an IP address has 4 or 16 bytes")
        precondition((0...address.count * 8).contains(prefixLength), "prefix length out of range")
        self.address = Self.masked(address, prefix: prefixLength)
        self.prefixLength = prefixLength
    }

    /// The number of addresses in the network, saturating at `UInt64.max` for huge IPv6 networks.
    public var addressCount: UInt64 {
        let hostBits = address.count * 8 - prefixLength
        return hostBits >= 64 ? UInt64.max : (UInt64(1) << UInt64(hostBits))
    }

    /// Whether the two networks share any address.
    /// - Parameter other: another network.
    /// - Returns: `false` for networks of different families.
    public func overlaps(_ other: IPNetwork) -> Bool {
        guard address.count == other.address.count else { return false }
        let shorter = min(prefixLength, other.prefixLength)
        return Self.masked(address, prefix: shorter) == Self.masked(other.address, prefix: shorter)
    }

    /// The canonical text, such as `10.0.0.0/8` or `fd00::/64`.
    public var description: String { "\(Self.format(address))/\(prefixLength)" }

    /// Formats address bytes as text.
    /// - Parameter bytes: 4 or 16 bytes.
    /// - Returns: dotted quad or RFC 5952 IPv6 text.
    public static func format(_ bytes: [UInt8]) -> String {
        let family = bytes.count == 4 ? AF_INET : AF_INET6
        var buffer = [CChar](repeating: 0, count: 64)
        let ok = bytes.withUnsafeBytes { raw in
            buffer.withUnsafeMutableBufferPointer { out in
                inet_ntop(family, raw.baseAddress, out.baseAddress, socklen_t(out.count)) != nil
            }
        }
        guard ok else { return bytes.map(String.init).joined(separator: ".") }
        let end = buffer.firstIndex(of: 0) ?? buffer.endIndex
        return String(decoding: buffer[..<end].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// Parses an address (no prefix).
    /// - Parameter text: such as `10.0.0.1` or `fd00::1`.
    /// - Returns: 4 or 16 bytes, or `nil` when invalid.
    public static func parseAddress(_ text: String) -> [UInt8]? {
        var v4 = [UInt8](repeating: 0, count: 4)
        if text.contains("."), !text.contains(":"),
            v4.withUnsafeMutableBytes({ inet_pton(AF_INET, text, $0.baseAddress) }) == 1
        {
            return v4
        }
        var v6 = [UInt8](repeating: 0, count: 16)
        if text.contains(":"), v6.withUnsafeMutableBytes({ inet_pton(AF_INET6, text, $0.baseAddress) }) == 1 {
            return v6
        }
        return nil
    }

    private static func masked(_ bytes: [UInt8], prefix: Int) -> [UInt8] {
        bytes.enumerated().map { index, byte in
            let bitsHere = max(0, min(8, prefix - index * 8))
            let mask: UInt8 = bitsHere == 0 ? 0 : UInt8(truncatingIfNeeded: 0xFF << (8 - bitsHere))
            return byte & mask
        }
    }
}
