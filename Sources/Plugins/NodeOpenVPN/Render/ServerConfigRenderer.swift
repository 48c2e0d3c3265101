package import PluginAPI

/// Renders one OpenVPN server process's configuration with the reference server's directives, in its order.
package struct ServerConfigRenderer: Sendable {
    package struct Input: Sendable {
        package var profile: VPNProfile
        package var process: AddressPlan.Process
        package var node: ProfileNode
        /// The node-wide tun device number.
        package var tunIndex: Int
        package var managementSocket: String
        package var caPEM: String
        package var certificatePEM: String
        package var privateKeyPEM: String
        package var tlsCrypt: TLSCryptKey
        package var dropPrivilegesTo: (user: String, group: String)?
        package var clientConnectScript: String?
        package var clientDisconnectScript: String?
        package var managementClientAuth: Bool

        package init(
            profile: VPNProfile, process: AddressPlan.Process, node: ProfileNode, tunIndex: Int, managementSocket: String,
            caPEM: String, certificatePEM: String, privateKeyPEM: String, tlsCrypt: TLSCryptKey,
            dropPrivilegesTo: (user: String, group: String)?, clientConnectScript: String?, clientDisconnectScript: String?,
            managementClientAuth: Bool = false
        ) {
            self.managementClientAuth = managementClientAuth
            self.profile = profile
            self.process = process
            self.node = node
            self.tunIndex = tunIndex
            self.managementSocket = managementSocket
            self.caPEM = caPEM
            self.certificatePEM = certificatePEM
            self.privateKeyPEM = privateKeyPEM
            self.tlsCrypt = tlsCrypt
            self.dropPrivilegesTo = dropPrivilegesTo
            self.clientConnectScript = clientConnectScript
            self.clientDisconnectScript = clientDisconnectScript
        }
    }

    package static func render(_ input: Input) -> String {
        let process = input.process
        let profile = input.profile
        let listensOnIPv4 = IPNetwork.parseAddress(input.node.listenAddress)?.count == 4
        var lines = ["verb 3", "dev-type tun"]
        if let drop = input.dropPrivilegesTo {
            lines += ["user \(drop.user)", "group \(drop.group)"]
        }
        lines += [
            "topology subnet", "persist-key", "persist-tun", "remote-cert-tls client", "dh none", "tls-version-min 1.3",
            "data-ciphers AES-256-GCM:CHACHA20-POLY1305", "reneg-sec 36000",
        ]
        if let script = input.clientConnectScript { lines.append("client-connect \(script)") }
        if let script = input.clientDisconnectScript { lines.append("client-disconnect \(script)") }
        lines += [
            "server \(process.ipv4.addressText) \(process.ipv4.netmask)",
            "server-ipv6 \(process.ipv6)",
            "max-clients \(process.maxClients)",
            "keepalive 10 60",
            "script-security 2",
            "dev tun\(input.tunIndex)",
            "port \(process.port)",
            "management \(input.managementSocket) unix",
        ]
        if input.managementClientAuth {
            // The node daemon approves each client on the socket; clients send no user name and password.
            lines += ["management-client-auth", "auth-user-pass-optional"]
        }
        lines += [
            "setenv PROFILE_ID \(profile.id)",
            process.transport == "udp" ? (listensOnIPv4 ? "proto udp" : "proto udp6") : (listensOnIPv4 ? "proto tcp-server" : "proto tcp6-server"),
        ]
        if input.node.listenAddress != "::" { lines.append("local \(input.node.listenAddress)") }
        if process.transport == "tcp" {
            lines.append("tcp-nodelay")
        } else {
            lines += ["explicit-exit-notify 1", "push \"explicit-exit-notify 1\""]
        }
        lines += pushes(profile, process: process)
        lines.append(ClientConfigRenderer.block("ca", input.caPEM))
        lines.append(ClientConfigRenderer.block("cert", input.certificatePEM))
        lines.append(ClientConfigRenderer.block("key", input.privateKeyPEM))
        lines.append(ClientConfigRenderer.block("tls-crypt", input.tlsCrypt.pem))
        return lines.joined(separator: "\n") + "\n"
    }

    static func pushes(_ profile: VPNProfile, process: AddressPlan.Process) -> [String] {
        var lines: [String] = []
        if profile.defaultGateway {
            lines.append("push \"redirect-gateway def1 ipv6\(profile.blockLAN ? " block-local" : "")\"")
            lines.append("push \"route 0.0.0.0 0.0.0.0\"")
        }
        for route in profile.routes {
            lines.append(route.isIPv4 ? "push \"route \(route.addressText) \(route.netmask)\"" : "push \"route-ipv6 \(route)\"")
        }
        for route in profile.excludedRoutes {
            lines.append(
                route.isIPv4 ? "push \"route \(route.addressText) \(route.netmask) net_gateway\"" : "push \"route-ipv6 \(route) net_gateway_ipv6\"")
        }
        if profile.defaultGateway || !profile.dnsSearchDomains.isEmpty {
            let servers = profile.dnsServers.map { server -> String in
                switch server {
                case "@GW4@": process.ipv4.address(at: 1).map(IPNetwork.format) ?? server
                case "@GW6@": process.ipv6.address(at: 1).map(IPNetwork.format) ?? server
                default: server
                }
            }
            lines += servers.map { "push \"dhcp-option DNS \($0)\"" }
            if profile.defaultGateway && !servers.isEmpty { lines.append("push \"block-outside-dns\"") }
            lines += profile.dnsSearchDomains.map { "push \"dhcp-option DOMAIN-SEARCH \($0)\"" }
        }
        return lines
    }
}
