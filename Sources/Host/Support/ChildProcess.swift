import OneShotHTTP
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A child process started with `posix_spawn` and a clean signal state: an empty signal mask and default handlers.
///
/// Foundation's `Process` passes on the spawning thread's signal mask, and Swift's cooperative threads block
/// SIGTERM: an OpenVPN started from one ignores SIGTERM (so it cannot say goodbye to its peers) until SIGKILL.
final class ChildProcess: Sendable {
    let pid: pid_t
    private let exit = ProcessExit()

    /// Starts `executable` (an absolute path) with `arguments`; standard input from /dev/null, output appended to
    /// `outputFile` (or /dev/null).
    init(executable: String, arguments: [String], outputFile: String? = nil) throws {
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attributes, &empty)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        let output = outputFile ?? "/dev/null"
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_APPEND, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)

        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        let environment = ProcessInfo.processInfo.environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { for pointer in environment { free(pointer) } }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, argv, environment)
        guard result == 0 else {
            throw ChannelHTTPClient.Failure("cannot start \(executable): \(String(cString: strerror(result)))")
        }
        self.pid = pid
        let (child, exit) = (pid, self.exit)
        // A thread per child reaps it (no zombie) and tells waiters.
        Thread.detachNewThread {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            exit.markExited()
        }
    }

    var isRunning: Bool { !exit.hasExited }

    func signal(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    func waitForExit() async { await exit.wait() }

    /// SIGTERM, then SIGKILL if it still runs after `grace`; returns when it is gone. Nothing when it is gone already.
    func terminate(grace: Duration = .seconds(4)) async {
        signal(SIGTERM)
        let (pid, exit) = (self.pid, self.exit)
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                try? await Task.sleep(for: grace)
                if !exit.hasExited { kill(pid, SIGKILL) }
            }
            await exit.wait()
            group.cancelAll()
        }
    }
}
