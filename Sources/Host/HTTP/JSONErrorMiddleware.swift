import Foundation
import HTTPTypes
import Hummingbird
import Logging
import PluginAPI

/// Turns every error into a JSON body `{"error": "…"}` with a fitting status; unknown errors become a logged 500.
///
/// The one place that maps plugin and store errors to HTTP (STYLE §23).
struct JSONErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            return Self.response(error.status, error.body ?? error.status.reasonPhrase)
        } catch let error as PluginError {
            return Self.response(Self.status(error.code), error.message)
        } catch is AuthFailure {
            return Self.response(.unauthorized, "authentication failed")
        } catch let error as StoreError {
            context.logger.error("store error", metadata: ["error": "\(error.debugDescription)"])
            return Self.response(.serviceUnavailable, "the store is unavailable")
        } catch {
            context.logger.error("unhandled error", metadata: ["error": "\(String(reflecting: error))"])
            return Self.response(.internalServerError, "internal server error")
        }
    }

    static func status(_ code: PluginError.Code) -> HTTPResponse.Status {
        switch code {
        case .invalidRequest: .badRequest
        case .notFound: .notFound
        case .forbidden: .forbidden
        case .conflict: .conflict
        case .unavailable: .serviceUnavailable
        default: .internalServerError
        }
    }

    static func response(_ status: HTTPResponse.Status, _ message: String) -> Response {
        let body = (try? JSONSerialization.data(withJSONObject: ["error": message])) ?? Data("{\"error\":\"error\"}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: body)))
    }
}
