import Logging
import PluginAPI

/// The host's login: tries each enabled ``AuthProvider`` in registry order, then applies the directory
/// (disabled accounts are refused, first-time users are recorded, stored permissions are added).
struct Authenticator: Sendable {
    /// A logged-in user.
    struct Result: Sendable, Equatable {
        var identity: Identity
        var isAdmin: Bool
    }

    /// Longer passwords are refused before any provider sees them (bcrypt reads 72 bytes; RADIUS carries 128).
    static let maximumPasswordBytes = 1024

    let providers: [any AuthProvider]
    let directory: UserDirectory
    /// Refuses attempts after too many failures; `nil` turns throttling off (tests of providers).
    var throttle: LoginThrottle?
    /// `login.admin_permissions`: a user holding one of these is an admin.
    var adminPermissions: Set<String> = []

    /// Authenticates `credentials`.
    /// - Returns: the user, or `nil` when no provider knows them.
    /// - Throws: ``AuthFailure`` when a provider refused or the account is disabled.
    func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Result? {
        guard UserRecord.isValidID(credentials.username) else {
            throw PluginError.invalidRequest("the user name must be 1 to 128 characters without spaces or control characters")
        }
        guard credentials.password.value.utf8.count <= Self.maximumPasswordBytes,
            !credentials.password.value.unicodeScalars.contains(where: { $0.value == 0 })
        else {
            throw PluginError.invalidRequest("the password must be at most \(Self.maximumPasswordBytes) bytes, without NUL characters")
        }
        guard let throttle else { return try await authenticateWithProviders(credentials, context: context) }
        if let reason = try await throttle.blocked(user: credentials.username, address: context.remoteAddress) {
            context.logger.notice(
                "login throttled: too many failures for this \(reason); providers not asked",
                metadata: ["auth.subject": "\(credentials.username)", "client.address": "\(context.remoteAddress ?? "-")"])
            throw AuthFailure(.throttled)
        }
        do {
            guard let result = try await authenticateWithProviders(credentials, context: context) else {
                try await throttle.recordFailure(user: credentials.username, address: context.remoteAddress)
                return nil
            }
            try await throttle.recordSuccess(user: credentials.username)
            return result
        } catch let failure as AuthFailure where failure.code == .invalidCredentials || failure.code == .secondFactorRequired {
            try await throttle.recordFailure(user: credentials.username, address: context.remoteAddress)
            throw failure
        }
    }

    private func authenticateWithProviders(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Result? {
        for provider in providers {
            var callContext = context
            callContext.logger[metadataKey: "auth.provider"] = "\(provider.id)"
            guard let identity = try await provider.authenticate(credentials, context: callContext) else { continue }
            return try await admit(identity, context: callContext)
        }
        return nil
    }

    /// Applies the directory to an identity a backend vouched for (a password provider, or trusted proxy headers):
    /// records a first-time user, refuses a disabled one, stores the provider's permissions for the API's ACLs.
    func admit(_ identity: Identity, context: AuthCallContext) async throws -> Result {
        var identity = identity
        let record: UserRecord
        if let existing = try await directory.find(identity.userID) {
            record = existing
        } else {
            try? await directory.add(identity.userID, displayName: identity.displayName, authProvider: identity.authProvider)
            guard let created = try await directory.find(identity.userID) else {
                throw PluginError(.internalError, "the user could not be recorded")
            }
            record = created
        }
        guard !record.disabled else {
            context.logger.info("login refused: account disabled", metadata: ["auth.subject": "\(identity.userID)"])
            throw AuthFailure.accountDisabled()
        }
        try await directory.replaceProviderPermissions(identity.userID, with: identity.permissions)
        identity.permissions.formUnion(record.permissions)
        try await directory.recordLogin(identity.userID)
        context.logger.info("login", metadata: ["auth.subject": "\(identity.userID)", "auth.provider": "\(identity.authProvider)"])
        let isAdmin = record.isAdmin || !adminPermissions.isDisjoint(with: identity.permissions)
        return Result(identity: identity, isAdmin: isAdmin)
    }
}
