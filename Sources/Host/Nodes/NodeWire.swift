/// The JSON messages of the node channel (`/node/v1/...`), shared by the controller and the node daemon.
enum NodeWire {
    struct JoinRequest: Codable, Sendable {
        var token: String
        /// The node's P-256 public key, PEM.
        var publicKey: String
        enum CodingKeys: String, CodingKey { case token, publicKey = "public_key" }
    }

    struct RenewRequest: Codable, Sendable {
        var publicKey: String
        enum CodingKeys: String, CodingKey { case publicKey = "public_key" }
    }

    struct CertificateResponse: Codable, Sendable {
        var nodeID: String
        var certificate: String
        var caCertificate: String
        var expiresAt: Int64
        enum CodingKeys: String, CodingKey {
            case nodeID = "node_id", certificate, caCertificate = "ca_certificate", expiresAt = "expires_at"
        }
    }

    struct ConfigurationRequest: Codable, Sendable {
        var runtimeDirectory: String
        var user: String?
        var group: String?
        enum CodingKeys: String, CodingKey { case runtimeDirectory = "runtime_directory", user, group }
    }

    struct Process: Codable, Sendable, Equatable {
        var name: String
        var profileID: String
        var transport: String
        var port: Int
        var managementSocket: String
        var body: String
        enum CodingKeys: String, CodingKey {
            case name, profileID = "profile_id", transport, port, managementSocket = "management_socket", body
        }
    }

    struct ConfigurationResponse: Codable, Sendable, Equatable {
        var processes: [Process]
    }

    struct AuthorizeRequest: Codable, Sendable {
        var profileID: String
        var commonName: String
        enum CodingKeys: String, CodingKey { case profileID = "profile_id", commonName = "common_name" }
    }

    struct AuthorizeResponse: Codable, Sendable {
        var allow: Bool
        /// Why not, for the node's log (the client only hears "refused").
        var reason: String?
        var userID: String?
        var expiresAt: Int64?
        enum CodingKeys: String, CodingKey { case allow, reason, userID = "user_id", expiresAt = "expires_at" }
    }

    struct EventBatch: Codable, Sendable {
        var events: [NodeEvent]
    }

    struct EventReceipt: Codable, Sendable {
        var recorded: Int
    }

    struct Revocation: Codable, Sendable, Equatable {
        var seq: Int64
        var commonName: String
        var expiresAt: Int64
        enum CodingKeys: String, CodingKey { case seq, commonName = "common_name", expiresAt = "expires_at" }
    }

    struct RevocationList: Codable, Sendable {
        var revocations: [Revocation]
        /// Pass as `after` next time.
        var cursor: Int64
    }

    struct ReconcileRequest: Codable, Sendable {
        var commonNames: [String]
        enum CodingKeys: String, CodingKey { case commonNames = "common_names" }
    }

    struct ReconcileResponse: Codable, Sendable {
        /// The connected credentials that are no longer valid: disconnect them.
        var invalid: [String]
    }

    struct ErrorBody: Codable, Sendable {
        var error: String
    }
}
