extension IPNetwork {
    /// The `index`-th subnet of length `prefixLength` inside this network.
    ///
    /// ```swift
    /// try IPNetwork(parsing: "10.0.0.0/24").subnet(2, prefixLength: 26)   // 10.0.0.128/26
    /// ```
    /// - Parameters:
    ///   - index: 0-based; must be below 2^(prefixLength − self.prefixLength).
    ///   - prefixLength: at least this network's prefix length.
    /// - Returns: the subnet, or `nil` when it does not fit.
    public func subnet(_ index: Int, prefixLength newPrefix: Int) -> IPNetwork? {
        let bits = address.count * 8
        guard newPrefix >= prefixLength, newPrefix <= bits, index >= 0 else { return nil }
        let extraBits = newPrefix - prefixLength
        guard extraBits >= 63 || index < (1 << extraBits) else { return nil }
        guard let bytes = Self.adding(UInt64(index), shiftedBy: bits - newPrefix, to: address) else { return nil }
        return IPNetwork(address: bytes, prefixLength: newPrefix)
    }

    /// The address `offset` after the network address, such as the gateway (offset 1).
    /// - Parameter offset: 0 is the network address itself.
    /// - Returns: the address bytes, or `nil` when outside the network.
    public func address(at offset: UInt64) -> [UInt8]? {
        guard offset < addressCount || addressCount == UInt64.max else { return nil }
        return Self.adding(offset, shiftedBy: 0, to: address)
    }

    /// The dotted netmask of an IPv4 network, such as `255.255.255.0`.
    public var netmask: String {
        let mask = prefixLength == 0 ? UInt32(0) : UInt32.max << UInt32(32 - min(prefixLength, 32))
        return [24, 16, 8, 0].map { String((mask >> UInt32($0)) & 0xFF) }.joined(separator: ".")
    }

    /// The network address as text, without the prefix.
    public var addressText: String { Self.format(address) }

    private static func adding(_ value: UInt64, shiftedBy shift: Int, to bytes: [UInt8]) -> [UInt8]? {
        var result = bytes
        var carry: UInt64 = 0
        // Add value << shift, byte by byte from the least significant end.
        for position in 0..<bytes.count {
            let bitOffset = position * 8 - shift
            var addend: UInt64 = 0
            if bitOffset > -8 && bitOffset < 64 {
                addend = bitOffset >= 0 ? (value >> UInt64(bitOffset)) & 0xFF : (value << UInt64(-bitOffset)) & 0xFF
            }
            let index = bytes.count - 1 - position
            let sum = UInt64(result[index]) + addend + carry
            result[index] = UInt8(sum & 0xFF)
            carry = sum >> 8
        }
        return carry == 0 ? result : nil
    }
}
