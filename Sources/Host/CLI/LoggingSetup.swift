import Logging

/// Bootstraps swift-log once per process: text or JSON lines on standard error.
enum LoggingSetup {
    static func bootstrap(level: Logger.Level, format: HostConfiguration.LogFormat) -> Logger {
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                format == .json ? JSONLogHandler(label: label) : StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: "portolan")
    }
}
