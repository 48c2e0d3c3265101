import ArgumentParser
import PluginAPI

/// Runs a command body and turns every error into one line on standard error and an exit code:
/// 78 for configuration problems, 69 when the store is unreachable, 1 otherwise. No stack traces.
enum CommandFailure {
    static func reporting<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as ExitCode {
            throw error
        } catch let error as ConfigError {
            Console.error("portolan: configuration error: \(error)")
            throw ExitCode(78)
        } catch let error as StoreError where error.code == .unavailable {
            Console.error("portolan: database.url: \(error.message)")
            throw ExitCode(69)
        } catch let error as StoreError {
            Console.error("portolan: \(error)")
            throw ExitCode(1)
        } catch let error as PluginError {
            Console.error("portolan: \(error.message)")
            throw ExitCode(1)
        } catch let error as CLIError {
            Console.error("portolan: \(error.message)")
            throw ExitCode(64)
        } catch {
            Console.error("portolan: \(error)")
            throw ExitCode(1)
        }
    }
}

/// A usage problem with a message saying what to fix.
struct CLIError: Error {
    let message: String
}
