import Crypto
import Foundation
import PluginAPI

/// A RADIUS packet (RFC 2865) as Portolan sends and reads it: Access-Request with PAP (User-Password hidden with the
/// shared secret) and Message-Authenticator (RFC 3579, HMAC-MD5, placed first as the BlastRADIUS advisory asks),
/// and the server's Access-Accept / Access-Reject / Access-Challenge.
struct RADIUSPacket: Sendable, Equatable {
    enum Code: UInt8, Sendable {
        case accessRequest = 1, accessAccept = 2, accessReject = 3, accessChallenge = 11
    }

    /// Attribute types Portolan uses.
    enum AttributeType {
        static let userName: UInt8 = 1
        static let userPassword: UInt8 = 2
        static let replyMessage: UInt8 = 18
        static let nasIdentifier: UInt8 = 32
        static let messageAuthenticator: UInt8 = 80
    }

    var code: Code
    var identifier: UInt8
    var authenticator: [UInt8]
    var attributes: [(type: UInt8, value: [UInt8])]

    static func == (lhs: RADIUSPacket, rhs: RADIUSPacket) -> Bool {
        lhs.code == rhs.code && lhs.identifier == rhs.identifier && lhs.authenticator == rhs.authenticator
            && lhs.attributes.map(\.type) == rhs.attributes.map(\.type) && lhs.attributes.map(\.value) == rhs.attributes.map(\.value)
    }

    /// Every value of attribute `type`.
    func values(_ type: UInt8) -> [[UInt8]] { attributes.filter { $0.type == type }.map(\.value) }

    enum EncodingError: Error, Equatable { case tooLong(String) }

    /// An Access-Request for PAP.
    /// - Throws: when the user name or password is too long for RADIUS (253 and 128 bytes).
    static func accessRequest(
        identifier: UInt8, userName: String, password: String, nasIdentifier: String, secret: [UInt8],
        requestAuthenticator: [UInt8]
    ) throws -> [UInt8] {
        let name = Array(userName.utf8)
        guard (1...253).contains(name.count) else { throw EncodingError.tooLong("the user name must be 1 to 253 bytes") }
        let hidden = try hide(password: Array(password.utf8), secret: secret, authenticator: requestAuthenticator)
        let packet = RADIUSPacket(
            code: .accessRequest, identifier: identifier, authenticator: requestAuthenticator,
            attributes: [
                (AttributeType.messageAuthenticator, [UInt8](repeating: 0, count: 16)),
                (AttributeType.userName, name),
                (AttributeType.userPassword, hidden),
                (AttributeType.nasIdentifier, Array(nasIdentifier.utf8.prefix(253))),
            ])
        var bytes = packet.encoded()
        // Message-Authenticator: HMAC-MD5 over the packet with the attribute zeroed; it is the first attribute.
        let mac = HMAC<Insecure.MD5>.authenticationCode(for: bytes, using: SymmetricKey(data: secret))
        bytes.replaceSubrange(22..<38, with: Array(mac))
        return bytes
    }

    /// RFC 2865 §5.2: the password padded to 16-byte blocks, each XORed with MD5(secret + previous block).
    static func hide(password: [UInt8], secret: [UInt8], authenticator: [UInt8]) throws -> [UInt8] {
        guard password.count <= 128 else { throw EncodingError.tooLong("the password must be at most 128 bytes for RADIUS") }
        var padded = password
        let blocks = max(1, (password.count + 15) / 16)
        padded += [UInt8](repeating: 0, count: blocks * 16 - password.count)
        var result: [UInt8] = []
        var previous = authenticator
        for block in 0..<blocks {
            let key = Array(Insecure.MD5.hash(data: secret + previous))
            let chunk = (0..<16).map { padded[block * 16 + $0] ^ key[$0] }
            result += chunk
            previous = chunk
        }
        return result
    }

    func encoded() -> [UInt8] {
        var body: [UInt8] = []
        for attribute in attributes {
            body += [attribute.type, UInt8(attribute.value.count + 2)] + attribute.value
        }
        let length = 20 + body.count
        return [code.rawValue, identifier, UInt8(length >> 8), UInt8(length & 0xFF)] + authenticator + body
    }

    enum DecodingError: Error, Equatable, CustomStringConvertible {
        case malformed(String)
        case unauthentic(String)

        var description: String {
            switch self {
            case .malformed(let why): "malformed RADIUS answer: \(why)"
            case .unauthentic(let why): "RADIUS answer failed its check (\(why)); is the shared secret right?"
            }
        }
    }

    /// Parses and checks an answer to the request `identifier` with `requestAuthenticator`: the Response
    /// Authenticator (RFC 2865 §3), and the Message-Authenticator when present (RFC 3579 §3.2), or when `requireMAC`.
    static func decodeAnswer(
        _ bytes: [UInt8], identifier: UInt8, requestAuthenticator: [UInt8], secret: [UInt8], requireMAC: Bool
    ) throws -> RADIUSPacket {
        guard bytes.count >= 20 else { throw DecodingError.malformed("shorter than 20 bytes") }
        let length = Int(bytes[2]) << 8 | Int(bytes[3])
        guard length >= 20, length <= bytes.count, length <= 4096 else { throw DecodingError.malformed("bad length \(length)") }
        guard let code = Code(rawValue: bytes[0]), code != .accessRequest else {
            throw DecodingError.malformed("unexpected code \(bytes[0])")
        }
        guard bytes[1] == identifier else { throw DecodingError.malformed("identifier \(bytes[1]) is not \(identifier)") }
        let packet = Array(bytes[0..<length])
        var attributes: [(UInt8, [UInt8])] = []
        var macOffset: Int?
        var index = 20
        while index < length {
            guard index + 2 <= length else { throw DecodingError.malformed("truncated attribute") }
            let type = packet[index]
            let size = Int(packet[index + 1])
            guard size >= 2, index + size <= length else { throw DecodingError.malformed("attribute \(type) has length \(size)") }
            if type == AttributeType.messageAuthenticator {
                guard size == 18 else { throw DecodingError.malformed("Message-Authenticator of length \(size)") }
                macOffset = index + 2
            }
            attributes.append((type, Array(packet[(index + 2)..<(index + size)])))
            index += size
        }
        var forResponse = packet
        forResponse.replaceSubrange(4..<20, with: requestAuthenticator)
        let expected = Array(Insecure.MD5.hash(data: forResponse + secret))
        guard ConstantTime.equals(expected, Array(packet[4..<20])) else { throw DecodingError.unauthentic("Response Authenticator") }
        if let macOffset {
            var zeroed = forResponse
            zeroed.replaceSubrange(macOffset..<(macOffset + 16), with: [UInt8](repeating: 0, count: 16))
            let mac = Array(HMAC<Insecure.MD5>.authenticationCode(for: zeroed, using: SymmetricKey(data: secret)))
            guard ConstantTime.equals(mac, Array(packet[macOffset..<(macOffset + 16)])) else {
                throw DecodingError.unauthentic("Message-Authenticator")
            }
        } else if requireMAC {
            throw DecodingError.unauthentic("no Message-Authenticator, and require_message_authenticator is on")
        }
        return RADIUSPacket(code: code, identifier: identifier, authenticator: Array(packet[4..<20]), attributes: attributes)
    }
}
