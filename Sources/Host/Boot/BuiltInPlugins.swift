import AuthPlugin
import NodeOpenVPNPlugin
import PluginAPI
import ProfilesPlugin

/// The one list of the plugins built into Portolan, in the order the host tries them.
public enum BuiltInPlugins {
    /// Every built-in plugin.
    public static let all: [PluginRegistration] = [
        PluginRegistration(LocalAuthPlugin.self),
        PluginRegistration(RADIUSPlugin.self),
        PluginRegistration(LDAPPlugin.self),
        PluginRegistration(OIDCPlugin.self),
        PluginRegistration(ProfilesPlugin.self),
        PluginRegistration(NodeOpenVPNPlugin.self),
    ]
}
