import Hummingbird

/// `GET /health` (the process answers) and `GET /ready` (the store answers too).
struct HealthController<Context: RequestContext>: Sendable {
    let store: any StoreLifecycle

    struct Status: ResponseEncodable {
        let status: String
    }

    func addRoutes(to router: Router<Context>) {
        router.get("health") { _, _ in Status(status: "ok") }
        router.get("ready") { _, _ -> Status in
            do {
                try await store.ping()
            } catch {
                throw HTTPError(.serviceUnavailable, message: "store unreachable")
            }
            return Status(status: "ready")
        }
    }
}
