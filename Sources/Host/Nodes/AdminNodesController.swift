import Hummingbird
import PluginAPI

/// `GET /admin/api/v1/nodes`: the node list for the admin pages (what `portolan node list --json` prints), for a
/// logged-in admin's browser session.
struct AdminNodesController: Sendable {
    struct Body: Codable, Sendable {
        var nodes: [NodeStatusReport]
    }

    let guardian: PortalGuard
    let directory: UserDirectory
    let registry: NodeRegistry
    let adminPermissions: Set<String>
    let onlineWindow: Int64

    func addRoutes(to router: Router<PortolanRequestContext>) {
        router.get("/admin/api/v1/nodes") { request, _ in
            guard let (_, session) = try await guardian.session(request) else {
                throw HTTPError(.unauthorized, message: "log in as an admin first")
            }
            guard try await isAdmin(session.userID) else { throw HTTPError(.forbidden, message: "admins only") }
            var response = try NodeChannelController.json(Body(nodes: try await NodeStatusReport.make(registry: registry, window: onlineWindow)))
            response.headers[.cacheControl] = "no-store"
            return response
        }
    }

    private func isAdmin(_ userID: String) async throws -> Bool {
        guard let user = try await directory.find(userID), !user.disabled else { return false }
        if user.isAdmin { return true }
        guard !adminPermissions.isEmpty else { return false }
        let provided = try await directory.store.query("SELECT permission FROM user_provider_permissions WHERE user_id = \(userID)")
            .map { try $0.string("permission") }
        return !adminPermissions.isDisjoint(with: user.permissions + provided)
    }
}
