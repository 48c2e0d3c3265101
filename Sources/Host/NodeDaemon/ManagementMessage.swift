/// A client notification from OpenVPN's management interface (`--management-client-auth`), assembled from its
/// `>CLIENT:...` line and `>CLIENT:ENV,...` block.
struct ManagementMessage: Sendable, Equatable {
    enum Kind: String, Sendable { case connect = "CONNECT", reauth = "REAUTH", established = "ESTABLISHED", disconnect = "DISCONNECT" }

    var kind: Kind
    var clientID: UInt64
    /// The key id (CONNECT and REAUTH only): it goes back in the answer.
    var keyID: UInt64?
    var environment: [String: String]

    /// Assembles messages from lines; other lines (command replies, `>INFO`, `>LOG`) come back as `.other`.
    struct Parser: Sendable {
        enum Output: Sendable, Equatable {
            case message(ManagementMessage)
            case other(String)
        }

        private var pending: ManagementMessage?

        mutating func feed(_ line: String) -> Output? {
            if line.hasPrefix(">CLIENT:ENV,") {
                let entry = line.dropFirst(12)
                if entry == "END" {
                    defer { pending = nil }
                    return pending.map { .message($0) }
                }
                guard var message = pending, message.environment.count < 512, let equals = entry.firstIndex(of: "=") else { return nil }
                message.environment[String(entry[..<equals])] = String(entry[entry.index(after: equals)...])
                pending = message
                return nil
            }
            if line.hasPrefix(">CLIENT:") {
                let fields = line.dropFirst(8).split(separator: ",", omittingEmptySubsequences: false)
                guard let kind = fields.first.flatMap({ Kind(rawValue: String($0)) }), fields.count >= 2,
                    let clientID = UInt64(fields[1])
                else { return .other(line) }  // ADDRESS, CR_RESPONSE: nothing to do
                let keyID = fields.count >= 3 ? UInt64(fields[2]) : nil
                if (kind == .connect || kind == .reauth) && keyID == nil { return .other(line) }
                pending = ManagementMessage(kind: kind, clientID: clientID, keyID: keyID, environment: [:])
                return nil
            }
            return .other(line)
        }
    }
}
