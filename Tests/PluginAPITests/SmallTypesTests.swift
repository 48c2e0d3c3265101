import PluginAPI
import Testing

@Suite("Small contract types")
struct SmallTypesTests {
    @Test func pluginIDs() {
        let good = "local-auth"
        #expect(PluginID(good)?.rawValue == "local-auth")
        for bad in ["", "Local", "1abc", "a_b", "a b", String(repeating: "a", count: 41)] {
            #expect(PluginID(bad) == nil, "\(bad)")
        }
    }

    @Test func secretsNeverPrint() {
        let secret = SecretString("hunter2")
        #expect("\(secret)" == "<redacted>")
        #expect(String(reflecting: secret) == "<redacted>")
        #expect(secret.matches("hunter2"))
        #expect(!secret.matches("hunter3") && !secret.matches("hunter") && !secret.matches(""))
        #expect(!"\(PasswordCredentials(username: "u", password: secret))".contains("hunter2"))
    }

    @Test func constantTimeEquality() {
        #expect(ConstantTime.equals([1, 2, 3], [1, 2, 3]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 4]))
        #expect(!ConstantTime.equals([1, 2, 3], [1, 2, 3, 0]))
        #expect(ConstantTime.equals([], []))
    }

    @Test func errorsCompareByCodeAndKeepSecretsOut() {
        #expect(PluginError.notFound("a") == PluginError.notFound("b"))
        #expect(PluginError.notFound("a") != PluginError.conflict("a"))
        #expect(AuthFailure.invalidCredentials().description == "authentication failed (invalid_credentials)")
        let store = StoreError(.queryFailed, "failed", detail: "server said x")
        #expect(store.description == "store query_failed: failed")
        #expect(store.debugDescription.contains("server said x"))
    }

    @Test func profileACLsAndIDs() {
        let open = VPNProfile(id: "open", displayName: "Open")
        let staff = VPNProfile(id: "staff", displayName: "Staff", requiredPermissions: ["staff", "admin"])
        #expect(open.permits([]))
        #expect(staff.permits(["admin"]) && !staff.permits(["student"]))
        #expect(!VPNProfile(id: "closed", displayName: "Closed", requiredPermissions: []).permits(["staff"]), "[] is nobody")
        #expect(VPNProfile.isValidID("office_1-a") && !VPNProfile.isValidID("Office") && !VPNProfile.isValidID("-x"))
    }
}
