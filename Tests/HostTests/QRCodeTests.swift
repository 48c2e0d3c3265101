import Foundation
import Testing
import TestSupport

@testable import Host

/// The QR encoder, read back by a real decoder (zbarimg from Debian's zbar-tools).
@Suite("QR codes")
struct QRCodeTests {
    static let zbar = Shell.which("zbarimg")

    /// The code as a PBM image (4 pixels per module, quiet zone), which zbarimg reads.
    static func pbm(_ code: QRCode, scale: Int = 4) -> String {
        let side = (code.size + 8) * scale
        var lines = ["P1", "\(side) \(side)"]
        for y in 0..<side {
            let row = y / scale - 4
            lines.append((0..<side).map { x in
                let column = x / scale - 4
                return (0..<code.size).contains(row) && (0..<code.size).contains(column) && code.modules[row][column] ? "1" : "0"
            }.joined(separator: " "))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test(.enabled(if: zbar != nil, "zbarimg is not installed (apt-get install zbar-tools)"),
        arguments: [1, 14, 30, 60, 100, 150, 200, 213])
    func aDecoderReadsItBack(length: Int) throws {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:/?=&%-._~")
        let text = String((0..<length).map { alphabet[($0 * 7 + length) % alphabet.count] })
        let code = try QRCode(text: text)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ptl-qr-\(length)-\(UUID().uuidString).pbm")
        try Self.pbm(code).write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }
        let decoded = try Shell.run("sh", ["-c", "zbarimg --raw -q \"$0\" 2>/dev/null", file.path])
        #expect(decoded.output.trimmingCharacters(in: .newlines) == text, "version \((code.size - 17) / 4), \(length) bytes")
    }

    /// In CI nothing may skip.
    @Test func zbarRunsInCI() {
        if ProcessInfo.processInfo.environment["CI"] != nil { #expect(Self.zbar != nil, "CI must install zbar-tools") }
    }

    @Test(.enabled(if: zbar != nil, "zbarimg is not installed (apt-get install zbar-tools)"))
    func anEnrolmentURI() throws {
        let uri = "otpauth://totp/Portolan%3Aalice?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Portolan&algorithm=SHA1&digits=6&period=30"
        let code = try QRCode(text: uri)
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ptl-qr-\(UUID().uuidString).pbm")
        try Self.pbm(code).write(to: file, atomically: true, encoding: .ascii)
        defer { try? FileManager.default.removeItem(at: file) }
        #expect(try Shell.run("sh", ["-c", "zbarimg --raw -q \"$0\" 2>/dev/null", file.path]).output.trimmingCharacters(in: .newlines) == uri)
        #expect(code.svg().hasPrefix("<svg") && code.svg().contains("<path"))
        #expect(throws: QRCode.TooLong.self) { _ = try QRCode(text: String(repeating: "x", count: 300)) }
    }
}
