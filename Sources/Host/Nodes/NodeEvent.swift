import PluginAPI

/// A connect or disconnect on a node, journaled there and delivered to the controller's connection log. The
/// `session` (random, made by the node at connect) makes delivery idempotent: a batch sent twice is logged once.
struct NodeEvent: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable { case connect, disconnect }

    var kind: Kind
    var session: String
    var profileID: String
    var commonName: String
    var userID: String?
    var ipv4: String?
    var ipv6: String?
    var originatingAddress: String?
    /// Seconds since 1970.
    var at: Int64
    var bytesIn: Int64?
    var bytesOut: Int64?

    enum CodingKeys: String, CodingKey {
        case kind, session, profileID = "profile_id", commonName = "common_name", userID = "user_id", ipv4, ipv6,
            originatingAddress = "originating_address", at, bytesIn = "bytes_in", bytesOut = "bytes_out"
    }

    /// Why the event cannot be logged, or `nil` when it can.
    var problem: String? {
        if session.isEmpty || session.utf8.count > 64 || !session.utf8.allSatisfy({ ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x66) }) {
            return "session must be 1 to 64 lower-case hex digits"
        }
        if commonName.isEmpty || commonName.utf8.count > 128 || commonName.utf8.contains(where: { $0 < 0x21 || $0 == 0x7F }) {
            return "common_name must be 1 to 128 visible characters"
        }
        if profileID.isEmpty || profileID.utf8.count > 64 { return "profile_id must be 1 to 64 characters" }
        for (name, address) in [("ipv4", ipv4), ("ipv6", ipv6), ("originating_address", originatingAddress)] {
            if let address, !address.isEmpty, address.utf8.count > 64 || IPNetwork.parseAddress(address) == nil {
                return "\(name) must be an IP address"
            }
        }
        if let userID, userID.utf8.count > 128 { return "user_id is too long" }
        if at < 0 || at > 1 << 40 { return "at is out of range" }
        if (bytesIn ?? 0) < 0 || (bytesOut ?? 0) < 0 { return "bytes must not be negative" }
        return nil
    }
}
