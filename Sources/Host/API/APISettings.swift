/// `api.*`: limits of the eduVPN API.
struct APISettings: Sendable {
    /// `api.max_active_configurations`: configurations one user may hold through apps at once; the oldest is
    /// replaced. 0 turns app downloads off. Default 3.
    var maxActiveConfigurations: Int

    static let defaults = APISettings(maxActiveConfigurations: 3)
}
