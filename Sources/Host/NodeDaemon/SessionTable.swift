import Synchronization

/// The VPN clients of this node's processes, by process and OpenVPN client id, and each process's management
/// connection (to disconnect clients).
final class SessionTable: Sendable {
    struct Session: Sendable, Codable {
        var session: String
        var commonName: String
        var profileID: String
        var userID: String?
        var originatingAddress: String?
        var ipv4: String?
        var ipv6: String?
        var established: Bool
        var since: Int64
    }

    private struct State {
        var sessions: [String: [UInt64: Session]] = [:]
        var connections: [String: ManagementConnection] = [:]
    }

    private let state = Mutex(State())

    func attach(_ process: String, _ connection: ManagementConnection) {
        state.withLock { $0.connections[process] = connection }
    }

    /// Forgets a process whose OpenVPN ended; returns its sessions that were established.
    func detach(_ process: String) -> [Session] {
        state.withLock { state in
            state.connections[process] = nil
            return (state.sessions.removeValue(forKey: process) ?? [:]).values.filter(\.established)
        }
    }

    func admit(_ process: String, _ clientID: UInt64, _ session: Session) {
        state.withLock { $0.sessions[process, default: [:]][clientID] = session }
    }

    /// Marks a client established with its addresses; returns the session.
    func establish(_ process: String, _ clientID: UInt64, update: (inout Session) -> Void) -> Session? {
        state.withLock { state in
            guard var session = state.sessions[process]?[clientID] else { return nil }
            update(&session)
            session.established = true
            state.sessions[process]?[clientID] = session
            return session
        }
    }

    func remove(_ process: String, _ clientID: UInt64) -> Session? {
        state.withLock { $0.sessions[process]?.removeValue(forKey: clientID) }
    }

    /// Sends `client-kill <cid> HALT` for every client with one of `commonNames`; returns how many.
    @discardableResult
    func disconnect(_ commonNames: Set<String>) -> Int {
        let targets = state.withLock { state -> [(ManagementConnection, UInt64)] in
            var targets: [(ManagementConnection, UInt64)] = []
            for (process, clients) in state.sessions {
                guard let connection = state.connections[process] else { continue }
                for (clientID, session) in clients where commonNames.contains(session.commonName) {
                    targets.append((connection, clientID))
                }
            }
            return targets
        }
        for (connection, clientID) in targets { connection.send("client-kill \(clientID) HALT") }
        return targets.count
    }

    var commonNames: [String] {
        state.withLock { state in Array(Set(state.sessions.values.flatMap { $0.values.filter(\.established).map(\.commonName) })) }
    }

    var established: [Session] { state.withLock { $0.sessions.values.flatMap { $0.values.filter(\.established) } } }

    var count: Int { state.withLock { $0.sessions.values.reduce(0) { $0 + $1.values.filter(\.established).count } } }
}
