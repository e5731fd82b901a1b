import BatonCore

/// Why ``HTTPRequestTool`` refused a request or could not complete it. A ``ToolBox`` turns it
/// into ``ToolError/failed(tool:code:message:retryable:)`` with the same ``code``, message and
/// retryability; timeouts are ``ToolError/timedOut(tool:after:)`` instead.
///
/// A response with any status, 404 or 500 included, is a result, not an error.
public enum HTTPToolError: Error, Sendable, Hashable, CustomStringConvertible, NodeErrorConvertible {
    /// An allow-list entry is malformed (found when the tool is created).
    case invalidAllowListEntry(String, reason: String)
    /// The tool's configuration cannot work (found when the tool is created).
    case invalidConfiguration(String)
    /// The arguments are malformed (a ``ToolBox`` catches this earlier, with the input schema).
    case invalidArguments(String)
    /// The URL is not an absolute `http` or `https` URL with a host.
    case invalidURL(String, reason: String)
    /// The method is not one this tool was created with.
    case methodNotAllowed(String, allowed: [String])
    /// The host and port are not on the allow-list; nothing was sent. `redirectedFrom` is the URL
    /// whose redirect pointed there.
    case hostNotAllowed(host: String, port: Int, allowList: HostAllowList, redirectedFrom: String?)
    /// A header the HTTP client sets itself (framing, connection management, `Host`).
    case forbiddenHeader(String)
    /// More redirects in a row than the tool follows.
    case tooManyRedirects(limit: Int, url: String)
    /// The response body is larger than the tool reads; the rest was not read.
    case responseTooLarge(limit: Int, declaredLength: Int?)
    /// No connection could be made (the host does not resolve, nothing listens on the port, TLS failed).
    case connectionFailed(host: String, port: Int, reason: String)
    /// The connection broke during the exchange.
    case transferFailed(reason: String)

    /// A stable, machine-readable code.
    public var code: String {
        switch self {
        case .invalidAllowListEntry: return "invalid_allow_list"
        case .invalidConfiguration: return "invalid_configuration"
        case .invalidArguments: return "invalid_arguments"
        case .invalidURL: return "invalid_url"
        case .methodNotAllowed: return "method_not_allowed"
        case .hostNotAllowed: return "host_not_allowed"
        case .forbiddenHeader: return "forbidden_header"
        case .tooManyRedirects: return "too_many_redirects"
        case .responseTooLarge: return "response_too_large"
        case .connectionFailed: return "connection_failed"
        case .transferFailed: return "transfer_failed"
        }
    }

    /// Whether sending the same request again could succeed: only for network failures.
    public var retryable: Bool {
        switch self {
        case .connectionFailed, .transferFailed: return true
        default: return false
        }
    }

    /// What happened and what to do about it.
    public var message: String {
        switch self {
        case let .invalidAllowListEntry(entry, reason):
            return "the allowed-hosts entry '\(entry)' is malformed: \(reason); write a host name such as 'api.example.com', '*.example.com', 'localhost:8080' or 'localhost:*'"
        case let .invalidConfiguration(reason):
            return "the HTTP tool cannot be created: \(reason)"
        case let .invalidArguments(reason):
            return "the arguments are malformed: \(reason); fix them and call again"
        case let .invalidURL(url, reason):
            return "'\(url)' cannot be requested: \(reason); give an absolute URL such as 'https://api.example.com/path'"
        case let .methodNotAllowed(method, allowed):
            return "the method \(method) is not allowed by this tool; use one of \(allowed.joined(separator: ", "))"
        case let .hostNotAllowed(host, port, allowList, redirectedFrom):
            let target = "\(host.contains(":") ? "[\(host)]" : host):\(port)"
            let how = redirectedFrom.map { "'\($0)' redirected to \(target), which" } ?? "\(target)"
            return "\(how) is not on the list of allowed hosts (\(allowList)); nothing was sent there. Request an allowed host, or ask for the host to be added."
        case let .forbiddenHeader(name):
            return "the header '\(name)' is set by the HTTP client itself; leave it out"
        case let .tooManyRedirects(limit, url):
            return "more than \(limit) redirects in a row, the last to '\(url)'; request the final URL directly"
        case let .responseTooLarge(limit, declaredLength):
            let size = declaredLength.map { "\($0) bytes" } ?? "more"
            return "the response body is \(size), over the limit of \(limit) bytes, so it was not read; request a smaller resource (a page, a range, a filter)"
        case let .connectionFailed(host, port, reason):
            return "could not connect to \(host):\(port): \(reason)"
        case let .transferFailed(reason):
            return "the exchange broke off: \(reason)"
        }
    }

    public var description: String { "\(code): \(message)" }

    public var nodeError: NodeError { NodeError(code: code, message: message, retryable: retryable) }
}
