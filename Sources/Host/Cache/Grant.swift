/// What an access token stands for, once its authorization is looked up: the user, their permissions, the expiry.
struct Grant: Sendable, Equatable {
    var authorizationKey: String
    var userID: String
    var clientID: String
    var expiresAt: Int64
    var createdAt: Int64
    var permissions: Set<String>
}
