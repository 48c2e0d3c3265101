import Synchronization

/// The plugins this process was started with: the built-in ones, plus those an institution's executable passed to
/// ``PortolanEntryPoint/main(plugins:)``. Set once, before any command runs.
enum PluginCatalog {
    private static let registrations = Mutex<[PluginRegistration]>(BuiltInPlugins.all)

    static func install(_ list: [PluginRegistration]) { registrations.withLock { $0 = list } }

    static var all: [PluginRegistration] { registrations.withLock { $0 } }
}
