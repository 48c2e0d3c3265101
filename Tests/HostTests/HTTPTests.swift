import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ServiceLifecycle
import Testing

@testable import Host

@Suite("HTTP")
struct HTTPTests {
    @Test func healthReadyAndJSONErrors() async throws {
        try await TestHost.withRuntime(.sqlite) { runtime in
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ok"}"#)
                }
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .ok)
                    #expect(String(buffer: response.body) == #"{"status":"ready"}"#)
                }
                try await client.execute(uri: "/no/such/page", method: .get) { response in
                    #expect(response.status == .notFound)
                    #expect(response.headers[.contentType] == "application/json")
                    #expect(String(buffer: response.body) == #"{"error":"Not Found"}"#)
                }
            }
        }
    }

    @Test func readyAnswers503WhenTheStoreIsGone() async throws {
        try await TestHost.withRuntime(.sqlite) { runtime in
            let app = try ApplicationBuilder.application(runtime, tls: nil)
            await runtime.store.close()
            try await app.test(.router) { client in
                try await client.execute(uri: "/health", method: .get) { #expect($0.status == .ok) }
                try await client.execute(uri: "/ready", method: .get) { response in
                    #expect(response.status == .serviceUnavailable)
                    #expect(String(buffer: response.body) == #"{"error":"store unreachable"}"#)
                }
            }
        }
    }

    /// Graceful shutdown: a request in flight when shutdown starts still gets its full answer, and the server
    /// is down well within 5 seconds.
    @Test func gracefulShutdownFinishesRequestsInFlight() async throws {
        try await TestHost.withRuntime(.sqlite) { runtime in
            let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
            let (started, startedContinuation) = AsyncStream.makeStream(of: Void.self)
            let app = try ApplicationBuilder.application(
                runtime, tls: nil,
                extraRoutes: { router in
                    router.get("slow") { _, _ -> String in
                        startedContinuation.yield()
                        try await Task.sleep(for: .milliseconds(1500))
                        return "finished"
                    }
                },
                onRunning: { portContinuation.yield($0) })
            let group = ServiceGroup(configuration: .init(services: [app], logger: .quiet))
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let port = try #require(await ports.first { _ in true })
                async let slow = HTTPProbe.get("http://127.0.0.1:\(port)/slow")
                _ = await started.first { _ in true }
                let shutdownStart = ContinuousClock.now
                await group.triggerGracefulShutdown()
                let response = try await slow
                #expect(response.status == 200)
                #expect(response.body == "finished")
                try await tasks.next()
                let elapsed = ContinuousClock.now - shutdownStart
                #expect(elapsed < .seconds(5), "shutdown took \(elapsed)")
                await #expect(throws: (any Error).self) { _ = try await HTTPProbe.get("http://127.0.0.1:\(port)/health", timeout: 2) }
            }
        }
    }
}
