import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PluginAPI

/// The eduVPN API v3 under `/api/v3`: `info`, `connect`, `disconnect`, for apps holding an access token.
struct APIController: Sendable {
    let tokens: TokenService
    let catalog: ProfileCatalog
    let backends: [String: any NodeBackend]
    let ledger: ConfigurationLedger
    let nodes: NodeSelector
    let settings: APISettings
    let origins: RequestOrigin.Policy
    let clock: any WallClock

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/api/v3/info") { request, context in try await handle(request, context, info) }
        router.post("/api/v3/connect") { request, context in try await handle(request, context, connect) }
        router.post("/api/v3/disconnect") { request, context in try await handle(request, context, disconnect) }
        for path in ["/api/v3/info", "/api/v3/connect", "/api/v3/disconnect"] {
            let allowed = path.hasSuffix("info") ? "GET" : "POST"
            let wrong: [HTTPRequest.Method] = path.hasSuffix("info") ? [.post, .put, .delete, .patch] : [.get, .put, .delete, .patch]
            for method in wrong {
                router.on(RouterPath(path), method: method) { request, _ in
                    var response = Self.error(APIError(status: .methodNotAllowed, message: "method \"\(request.method)\" not allowed"))
                    response.headers[.allow] = allowed
                    return response
                }
            }
        }
    }

    private func handle(
        _ request: Request, _ context: PortolanRequestContext,
        _ body: (Request, PortolanRequestContext, Grant) async throws -> Response
    ) async throws -> Response {
        guard let grant = try await bearerGrant(request) else {
            var response = Self.error(APIError(status: .unauthorized, message: "invalid_token"))
            response.headers[.wwwAuthenticate] = "Bearer realm=\"Portolan\", error=\"invalid_token\""
            return response
        }
        do {
            return try await body(request, context, grant)
        } catch let error as APIError {
            return Self.error(error)
        }
    }

    private func bearerGrant(_ request: Request) async throws -> Grant? {
        guard let header = request.headers[.authorization], header.count > 7,
            header.prefix(7).lowercased() == "bearer "
        else { return nil }
        return try await tokens.grant(forAccessToken: String(header.dropFirst(7)))
    }

    // MARK: /info

    private func info(_ request: Request, _ context: PortolanRequestContext, _ grant: Grant) async throws -> Response {
        let entries = try await catalog.entries(logger: context.logger)
        var body = #"{"info":{"profile_list":["#
        var first = true
        for entry in entries where entry.profile.permits(grant.permissions) && !catalog.protocols(of: entry.profile).isEmpty {
            if !first { body += "," }
            body += entry.infoJSON
            first = false
        }
        body += "]}}"
        return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    // MARK: /connect

    private func connect(_ request: Request, _ context: PortolanRequestContext, _ grant: Grant) async throws -> Response {
        let form = try await FormBody.read(request, context: context)
        guard settings.maxActiveConfigurations > 0 else { throw APIError.downloadsOff }
        guard let profileID = form["profile_id"] else { throw APIError.missing("profile_id") }
        guard Self.isValidProfileID(profileID) else { throw APIError.invalid("profile_id") }
        let publicKey = form["public_key"]
        if let publicKey, !Self.isValidWireGuardKey(publicKey) { throw APIError.invalid("public_key") }
        let preferTCP: Bool
        switch (form["prefer_tcp"], form["tcp_only"]) {
        case ("yes", _), (nil, "on"): preferTCP = true
        case ("no", _), (nil, "off"), (nil, nil): preferTCP = false
        case (.some, _): throw APIError.invalid("prefer_tcp")
        case (nil, .some): throw APIError.invalid("tcp_only")
        }
        let entries = try await catalog.entries(logger: context.logger)
        guard let profile = entries.first(where: { $0.profile.id == profileID })?.profile, profile.permits(grant.permissions) else {
            throw APIError.noSuchProfile
        }
        let selection = ProtocolSelection(acceptHeaders: request.headers[values: .accept])
        let offered = Set(catalog.protocols(of: profile))
        let hasTCP = !(profile.openVPN?.tcpPorts.isEmpty ?? true) || !(profile.openVPN?.exposedTCPPorts.isEmpty ?? true)
        let order = selection.order(
            profileOffers: offered, hasPublicKey: publicKey != nil, preferTCP: preferTCP, profileHasTCP: hasTCP,
            preferred: profile.preferredProtocol)
        guard !order.isEmpty else { throw APIError.noCommonProtocol }

        let now = clock.secondsSince1970
        let expiresAt = min(grant.expiresAt, grant.createdAt + profile.sessionExpiry)
        let origin = origins.origin(of: request, peer: context.peerAddress)
        var lastError: (any Error)?
        let nodeID = try await nodes.choose(for: profile)
        for protocolName in order {
            guard let backend = backends[protocolName] else { continue }
            do {
                let configuration = try await backend.clientConfiguration(
                    for: ClientConfigurationRequest(
                        profile: profile, userID: grant.userID, expiresAt: expiresAt, preferTCP: preferTCP,
                        portalURL: origin.baseURL + "/", nodeID: nodeID),
                    context: AuthCallContext(logger: context.logger, remoteAddress: origin.clientAddress))
                try await ledger.record(
                    .init(
                        credentialID: configuration.credentialID, protocolName: protocolName, userID: grant.userID,
                        profileID: profile.id, nodeID: configuration.nodeID, authorizationKey: grant.authorizationKey,
                        createdAt: now, expiresAt: configuration.expiresAt),
                    maxActive: settings.maxActiveConfigurations)
                return Response(
                    status: .ok,
                    headers: [.contentType: configuration.mediaType, .expires: HTTPDate.format(configuration.expiresAt), .cacheControl: "no-store"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: configuration.body)))
            } catch let error as PluginError where error.code == .unavailable {
                lastError = error
                continue
            }
        }
        throw lastError ?? APIError.noCommonProtocol
    }

    // MARK: /disconnect

    private func disconnect(_ request: Request, _ context: PortolanRequestContext, _ grant: Grant) async throws -> Response {
        try await ledger.release(authorizationKey: grant.authorizationKey)
        return Response(status: .noContent)
    }

    // MARK: helpers

    static func error(_ error: APIError) -> Response {
        JSONErrorMiddleware<PortolanRequestContext>.response(error.status, error.message)
    }

    /// `^[a-zA-Z0-9-.]+$`, as the reference.
    static func isValidProfileID(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 64
            && text.utf8.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A) || $0 == 0x2D || $0 == 0x2E }
    }

    /// A WireGuard key: base64 of 32 bytes (44 characters ending in `=`).
    static func isValidWireGuardKey(_ text: String) -> Bool {
        text.utf8.count == 44 && Data(base64Encoded: text)?.count == 32
    }
}
