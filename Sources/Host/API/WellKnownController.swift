import Hummingbird

/// `GET /.well-known/vpn-user-portal`: where the apps find the API, authorization and token endpoints.
struct WellKnownController: Sendable {
    static let version = "3.4.1-portolan"
    let origins: RequestOrigin.Policy

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/.well-known/vpn-user-portal") { request, context in
            let base = origins.origin(of: request, peer: context.peerAddress).baseURL
            let body = """
                {"api":{"http://eduvpn.org/api#3":{"api_endpoint":"\(base)/api/v3",\
                "authorization_endpoint":"\(base)/oauth/authorize","token_endpoint":"\(base)/oauth/token"}},\
                "v":"\(Self.version)"}
                """
            return Response(
                status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-store"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
    }
}
