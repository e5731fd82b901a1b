import AsyncHTTPClient
import BatonCore
import Foundation
import NIOCore
import NIOHTTP1

/// One call of an ``HTTPRequestTool``: the request, the redirects it follows, and the response
/// read under the size limit, all before one deadline.
struct HTTPExchange {
    let tool: HTTPRequestTool

    /// The client every HTTP tool shares. It never follows redirects itself (the exchange does,
    /// checking each target against the allow-list) and does not retry failed connections (the
    /// tool box's retry policy decides that). It lives as long as the process.
    static let client: HTTPClient = {
        var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow, decompression: .disabled)
        configuration.connectionPool.retryConnectionEstablishment = false
        return HTTPClient(eventLoopGroup: HTTPClient.defaultEventLoopGroup, configuration: configuration)
    }()

    /// A URL that passed the checks, with what the checks read from it.
    private struct Target {
        var url: URL
        var host: String
        var port: Int
    }

    /// Sends `request`, follows its redirects and reads the final response.
    func send(_ request: HTTPRequestArguments) async throws -> JSON {
        let deadline = NIODeadline.now() + TimeAmount(tool.contract.timeout)
        var request = request
        var target = try check(request.url, relativeTo: nil)
        var redirects = 0
        while true {
            let response = try await execute(request, to: target, deadline: deadline)
            let status = Int(response.status.code)
            if tool.maxRedirects > 0, [301, 302, 303, 307, 308].contains(status), let location = response.headers.first(name: "location") {
                guard redirects < tool.maxRedirects else { throw HTTPToolError.tooManyRedirects(limit: tool.maxRedirects, url: location) }
                redirects += 1
                let next = try check(location, relativeTo: target)
                request = request.redirected(status: status, to: next.url.absoluteString, crossesHosts: next.host != target.host)
                target = next
                continue
            }
            let body = try await read(response.body, declaredLength: response.headers.first(name: "content-length").flatMap { Int($0) })
            return result(status: status, headers: response.headers, body: body, url: target.url)
        }
    }

    /// Parses `text` (relative to the URL that redirected to it) and checks scheme, host and port.
    private func check(_ text: String, relativeTo base: Target?) throws(HTTPToolError) -> Target {
        guard let resolved = URL(string: text, relativeTo: base?.url)?.absoluteURL,
            // The client parses the text it is given: check exactly what it will connect to.
            let url = URL(string: resolved.absoluteString)
        else {
            throw .invalidURL(text, reason: "it is not a valid URL")
        }
        guard let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https" else {
            throw .invalidURL(text, reason: "only http and https URLs can be requested")
        }
        guard let rawHost = url.host, !rawHost.isEmpty else { throw .invalidURL(text, reason: "it has no host") }
        let host = HostAllowList.normalize(rawHost)
        let port = url.port ?? (scheme == "https" ? 443 : 80)
        guard tool.allowList.allows(host: host, port: port, scheme: scheme) else {
            throw .hostNotAllowed(host: host, port: port, allowList: tool.allowList, redirectedFrom: base?.url.absoluteString)
        }
        return Target(url: url, host: host, port: port)
    }

    /// Sends one request and returns the response head, with the body still to read.
    private func execute(_ arguments: HTTPRequestArguments, to target: Target, deadline: NIODeadline) async throws -> HTTPClientResponse {
        var request = HTTPClientRequest(url: target.url.absoluteString)
        request.method = HTTPMethod(rawValue: arguments.method.rawValue)
        for header in arguments.headers { request.headers.add(name: header.name, value: header.value) }
        if let body = arguments.body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            return try await HTTPExchange.client.execute(request, deadline: deadline)
        } catch {
            throw translate(error) { .connectionFailed(host: target.host, port: target.port, reason: $0) }
        }
    }

    /// Reads the body, failing as soon as it is known to pass the limit.
    private func read(_ body: HTTPClientResponse.Body, declaredLength: Int?) async throws -> [UInt8] {
        let limit = tool.maxResponseBytes
        if let declaredLength, declaredLength > limit {
            throw HTTPToolError.responseTooLarge(limit: limit, declaredLength: declaredLength)
        }
        var bytes: [UInt8] = []
        do {
            for try await chunk in body {
                guard bytes.count + chunk.readableBytes <= limit else {
                    throw HTTPToolError.responseTooLarge(limit: limit, declaredLength: declaredLength)
                }
                bytes.append(contentsOf: chunk.readableBytesView)
            }
        } catch let error as HTTPToolError {
            throw error
        } catch {
            throw translate(error) { .transferFailed(reason: $0) }
        }
        return bytes
    }

    /// The client's errors as the tool reports them: the deadline as the tool's timeout, a
    /// cancellation as it is, anything else through `failure`.
    private func translate(_ error: any Error, _ failure: (String) -> HTTPToolError) -> any Error {
        switch error {
        case let error as HTTPClientError where error == .deadlineExceeded:
            return ToolError.timedOut(tool: tool.contract.name, after: tool.contract.timeout)
        case let error as HTTPClientError where error == .cancelled:
            return CancellationError()
        case is CancellationError:
            return error
        default:
            return failure("\(error)")
        }
    }

    /// The result object (see ``HTTPRequestTool``).
    private func result(status: Int, headers: HTTPHeaders, body: [UInt8], url: URL) -> JSON {
        var fields: [String: String] = [:]
        for header in headers {
            let name = header.name.lowercased()
            fields[name] = fields[name].map { "\($0), \(header.value)" } ?? header.value
        }
        var members: [String: JSON] = [
            "status": .int(status), "url": .string(url.absoluteString),
            "headers": .object(fields.mapValues(JSON.string)), "body": .string(String(decoding: body, as: UTF8.self)),
        ]
        if let type = fields["content-type"], Self.isJSON(contentType: type), let json = try? JSON(parsing: body) {
            members["json"] = json
        }
        return .object(members)
    }

    /// `application/json` and every `…+json` type, whatever the parameters.
    static func isJSON(contentType: String) -> Bool {
        let mediaType = contentType.split(separator: ";", maxSplits: 1).first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return mediaType == "application/json" || mediaType.hasSuffix("+json")
    }
}
