import Testing

@testable import Host

@Suite("Protocol selection")
struct ProtocolSelectionTests {
    let both: Set<String> = ["openvpn", "wireguard"]

    @Test func acceptLinesAreMerged() {
        let desktop = ProtocolSelection(acceptHeaders: [
            "application/x-openvpn-profile", " application/x-wireguard-profile ; q=0.9", "application/x-wireguard+tcp-profile",
        ])
        #expect(desktop.acceptsOpenVPN && desktop.acceptsWireGuard)
        let openVPNOnly = ProtocolSelection(acceptHeaders: ["Application/X-OpenVPN-Profile", "text/html"])
        #expect(openVPNOnly.acceptsOpenVPN && !openVPNOnly.acceptsWireGuard)
        let none = ProtocolSelection(acceptHeaders: [])
        #expect(none.acceptsOpenVPN && none.acceptsWireGuard, "no known type: the client takes both")
        let unknown = ProtocolSelection(acceptHeaders: ["*/*"])
        #expect(unknown.acceptsOpenVPN && unknown.acceptsWireGuard)
    }

    @Test func theReferenceOrder() {
        let desktop = ProtocolSelection(acceptHeaders: ["application/x-openvpn-profile, application/x-wireguard-profile"])
        #expect(desktop.order(profileOffers: both, hasPublicKey: true, preferTCP: false, profileHasTCP: true, preferred: "wireguard") == ["wireguard", "openvpn"])
        #expect(desktop.order(profileOffers: both, hasPublicKey: true, preferTCP: true, profileHasTCP: true, preferred: "wireguard") == ["openvpn", "wireguard"])
        #expect(desktop.order(profileOffers: both, hasPublicKey: true, preferTCP: true, profileHasTCP: false, preferred: "wireguard") == ["wireguard", "openvpn"])
        #expect(desktop.order(profileOffers: both, hasPublicKey: false, preferTCP: false, profileHasTCP: true, preferred: "wireguard") == ["openvpn"])
        #expect(desktop.order(profileOffers: ["wireguard"], hasPublicKey: false, preferTCP: false, profileHasTCP: true, preferred: "wireguard").isEmpty)
        let wireGuardOnly = ProtocolSelection(acceptHeaders: ["application/x-wireguard-profile"])
        #expect(wireGuardOnly.order(profileOffers: ["openvpn"], hasPublicKey: true, preferTCP: false, profileHasTCP: true, preferred: "openvpn").isEmpty)
    }
}
