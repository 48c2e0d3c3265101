import PluginAPI

/// `nodes.*`: the channel nodes use to reach the controller (mutual TLS, its own port).
struct NodeChannelSettings: Sendable {
    /// `nodes.listen`: `HOST:PORT` of the node channel; `nil` (the default) keeps it closed unless `portolan serve`
    /// runs a node in-process, which then gets a loopback port.
    var listen: ListenAddress?
    /// `nodes.certificate_validity`: how long a node certificate lasts; nodes renew at two thirds. Default P30D.
    var certificateValidity: Int64
    /// `nodes.online_window`: a node unheard of for longer is offline and gets no new clients. Default PT15S.
    var onlineWindow: Int64
    /// `nodes.join_token_validity`: how long a join token from `portolan node add` lasts. Default PT1H.
    var joinTokenValidity: Int64

    static let defaults = NodeChannelSettings(listen: nil, certificateValidity: 30 * 86_400, onlineWindow: 15, joinTokenValidity: 3_600)

    init(listen: ListenAddress?, certificateValidity: Int64, onlineWindow: Int64, joinTokenValidity: Int64) {
        self.listen = listen
        self.certificateValidity = certificateValidity
        self.onlineWindow = onlineWindow
        self.joinTokenValidity = joinTokenValidity
    }

    init(reader: ConfigReader) throws {
        listen = try reader.optionalString("listen").map { try ListenAddress(parsing: $0, key: reader.keyPath("listen")) }
        certificateValidity = try reader.duration("certificate_validity", default: "P30D", range: 300...(398 * 86_400))
        onlineWindow = try reader.duration("online_window", default: "PT15S", range: 6...3_600)
        joinTokenValidity = try reader.duration("join_token_validity", default: "PT1H", range: 60...(30 * 86_400))
    }
}
