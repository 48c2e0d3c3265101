import Foundation
import Logging
import NIOSSL
import PluginAPI

/// Password login against LDAP or Active Directory: bind with a DN made from a template, or search the user with a
/// service account (or anonymously) and bind as the entry found. The user id can come from an attribute; permissions
/// come from the values of attributes such as `memberOf`.
struct LDAPAuthProvider: AuthProvider {
    let id = "ldap"
    let settings: LDAPPlugin.Configuration
    let tls: NIOSSLContext?

    func authenticate(_ credentials: PasswordCredentials, context: AuthCallContext) async throws -> Identity? {
        let password = credentials.password.value
        // An empty password would be an unauthenticated bind, which LDAP servers answer with success.
        guard !password.isEmpty else { throw AuthFailure.invalidCredentials() }
        let settings = self.settings
        let username = credentials.username
        let outcome: Outcome
        do {
            outcome = try await LDAPConnection.withSession(
                host: settings.host, port: settings.port, tls: tls, startTLS: settings.startTLS, timeout: settings.timeout
            ) { session in
                try await Self.login(username: username, password: password, settings: settings, session: &session)
            }
        } catch let failure as LDAPConnection.Failure {
            context.logger.info("LDAP login failed", metadata: ["ldap.server": "\(settings.host):\(settings.port)", "error": "\(failure)"])
            throw PluginError.unavailable("the LDAP server \(settings.host):\(settings.port) failed: \(failure.message)")
        } catch let error as BERElement.DecodingError {
            throw PluginError.unavailable("the LDAP server \(settings.host):\(settings.port) sent \(error)")
        } catch let error as AuthFailure {
            throw error
        } catch {
            context.logger.info("LDAP connection failed", metadata: ["ldap.server": "\(settings.host):\(settings.port)", "error": "\(error)"])
            throw PluginError.unavailable("cannot reach the LDAP server \(settings.host):\(settings.port) (\(Self.reason(error)))")
        }
        switch outcome {
        case .unknownUser: return nil
        case .wrongPassword: throw AuthFailure.invalidCredentials()
        case .loggedIn(let entry):
            var userID = username
            if let attribute = settings.userIDAttribute {
                guard let value = entry.attributes[attribute.lowercased()]?.first, !value.isEmpty else {
                    throw PluginError.unavailable("the LDAP entry of '\(username)' has no \(attribute)")
                }
                userID = value
            }
            var permissions = Set<String>()
            for attribute in settings.permissionAttributes {
                permissions.formUnion(entry.attributes[attribute.lowercased()] ?? [])
            }
            return Identity(
                userID: userID, displayName: entry.attributes["cn"]?.first ?? entry.attributes["displayname"]?.first,
                permissions: permissions, authProvider: id)
        }
    }

    enum Outcome: Sendable {
        case unknownUser, wrongPassword
        case loggedIn(LDAPConnection.Entry)
    }

    private static func login(
        username: String, password: String, settings: LDAPPlugin.Configuration, session: inout LDAPConnection.Session
    ) async throws -> Outcome {
        let attributes = (settings.userIDAttribute.map { [$0] } ?? []) + settings.permissionAttributes + ["cn", "displayName"]
        let dn: String
        if let template = settings.bindDNTemplate {
            dn = template.replacingOccurrences(of: "{{UID}}", with: escapeDNValue(username))
        } else {
            if let serviceDN = settings.searchBindDN {
                let code = try await session.bind(dn: serviceDN, password: settings.searchBindPassword ?? "")
                guard code == LDAPConnection.success else {
                    throw LDAPConnection.Failure(resultCode: code, message: "the search account cannot bind (check search_bind_dn and its password)")
                }
            }
            let filter = try LDAPFilter.parse(settings.userFilter.replacingOccurrences(of: "{{UID}}", with: LDAPFilter.escape(username)))
            let entries = try await session.search(base: settings.baseDN ?? "", subtree: true, filter: filter, attributes: ["1.1"])
            guard entries.count == 1 else { return entries.isEmpty ? .unknownUser : .wrongPassword }  // ambiguous: refuse
            dn = entries[0].dn
        }
        let code = try await session.bind(dn: dn, password: password)
        switch code {
        case LDAPConnection.success: break
        case LDAPConnection.invalidCredentials: return .wrongPassword
        case 32: return .unknownUser
        default: throw LDAPConnection.Failure(resultCode: code, message: "bind refused")
        }
        let entries = try await session.search(base: dn, subtree: false, filter: try LDAPFilter.parse("(objectClass=*)"), attributes: attributes, sizeLimit: 1)
        return .loggedIn(entries.first ?? LDAPConnection.Entry(dn: dn, attributes: [:]))
    }

    /// RFC 4514 §2.4: escapes a value put into a DN.
    static func escapeDNValue(_ value: String) -> String {
        var escaped = ""
        let characters = Array(value)
        for (index, character) in characters.enumerated() {
            switch character {
            case ",", "+", "\"", "\\", "<", ">", ";", "=":
                escaped += "\\" + String(character)
            case "#" where index == 0, " " where index == 0 || index == characters.count - 1:
                escaped += "\\" + String(character)
            case "\u{0}":
                escaped += "\\00"
            default:
                escaped.append(character)
            }
        }
        return escaped
    }

    private static func reason(_ error: any Error) -> String {
        if let error = error as? NIOSSLError { return "TLS: \(error)" }
        if let error = error as? BoringSSLError { return "TLS: \(error)" }
        return "\(error)"
    }
}
