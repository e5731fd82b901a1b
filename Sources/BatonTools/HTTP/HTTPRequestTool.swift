import BatonCore

/// `http.request`: sends one HTTP request to a host on an allow-list and returns the response.
///
/// Arguments: `method` (one of the methods the tool was created with; `GET` when left out and
/// allowed), `url` (absolute, `http` or `https`), `headers` (an object of strings) and `body` (a
/// string is sent as it is; any other JSON value is sent as JSON, with `content-type:
/// application/json` unless the headers set one).
///
/// Result: `{"status": 200, "url": "…", "headers": {"content-type": "…"}, "body": "…", "json": …}`.
/// `url` is the URL that answered, after redirects; header names are lowercase and repeated
/// headers are joined with `, `; `body` is the body as UTF-8 text (bytes that are not UTF-8
/// become U+FFFD); `json` is the body parsed, present only when the content type is JSON
/// (`application/json` or `…+json`) and the body parses.
///
/// Every status is a result, 404 and 500 included: the caller reads `status`. Errors are kept for
/// requests that got no complete response (see ``HTTPToolError``), and a timeout is
/// ``ToolError/timedOut(tool:after:)``.
///
/// Limits, checked before anything is sent:
/// - the host and port must be on the allow-list (see ``HostAllowList``); a host that is not is
///   refused without a connection being opened;
/// - redirects (301, 302, 303, 307, 308) are followed, up to `maxRedirects`, only to allowed
///   hosts: a redirect elsewhere fails with ``HTTPToolError/hostNotAllowed(host:port:allowList:redirectedFrom:)``.
///   303, and 301 and 302 after a `POST`, continue as a `GET` without a body; `Authorization`
///   and `Cookie` headers are dropped when a redirect leaves the original host;
/// - a response body over `maxResponseBytes` fails with ``HTTPToolError/responseTooLarge(limit:declaredLength:)``;
///   a declared `Content-Length` over the limit fails before the body is read, and an
///   undeclared one as soon as the limit is passed, so a large body is never held in memory;
/// - one attempt, redirects included, lasts at most the contract's timeout.
///
/// One tool has one contract: the default tool allows every method and is `side_effecting`
/// (never retried automatically; its `POST`, `PUT`, `PATCH` and `DELETE` requests carry the
/// call's idempotency key as an `Idempotency-Key` header unless the headers set one). A tool
/// created with only `GET` and `HEAD` is `read_only`, low risk, and retried on network failures.
///
/// ```swift
/// let http = try HTTPRequestTool(allowedHosts: ["api.github.com"])
/// let reader = try HTTPRequestTool(name: "http.get", allowedHosts: ["*.wikipedia.org"], methods: [.get, .head])
/// let tools = try ToolBox([http, reader])
/// let page = try await tools.call("http.get", arguments: ["url": "https://en.wikipedia.org/wiki/Baton"])
/// ```
public struct HTTPRequestTool: Tool {
    /// An HTTP method the tool can send.
    public enum Method: String, Sendable, Hashable, CaseIterable, Comparable {
        case get = "GET", post = "POST", put = "PUT", patch = "PATCH", delete = "DELETE", head = "HEAD"

        /// `GET` and `HEAD`, which only read.
        public var isReadOnly: Bool { self == .get || self == .head }

        public static func < (lhs: Method, rhs: Method) -> Bool {
            allCases.firstIndex(of: lhs) ?? 0 < allCases.firstIndex(of: rhs) ?? 0
        }
    }

    /// The default limit of a response body: 1 MiB.
    public static let defaultMaxResponseBytes = 1 << 20

    public let contract: ToolContract
    /// Where requests may go.
    public let allowList: HostAllowList
    /// The methods the tool sends; others are refused.
    public let methods: Set<Method>
    /// The largest response body the tool reads, in bytes.
    public let maxResponseBytes: Int
    /// How many redirects in a row the tool follows; 0 returns a redirect as the result.
    public let maxRedirects: Int

    /// A tool that sends requests to `allowedHosts` (see ``HostAllowList`` for the syntax).
    ///
    /// - Parameters:
    ///   - name: The tool's name; change it to register several HTTP tools in one tool box.
    ///   - methods: The methods allowed. Only `GET` and/or `HEAD` make the tool `read_only`.
    ///   - maxResponseBytes: The largest response body read.
    ///   - maxRedirects: How many redirects in a row are followed.
    ///   - timeout: How long one attempt may take, redirects and reading the body included.
    /// - Throws: ``HTTPToolError/invalidAllowListEntry(_:reason:)`` for a malformed host entry,
    ///   ``HTTPToolError/invalidConfiguration(_:)`` for an empty set of methods or a negative limit.
    public init(
        name: String = "http.request", allowedHosts: [String], methods: Set<Method> = Set(Method.allCases),
        maxResponseBytes: Int = HTTPRequestTool.defaultMaxResponseBytes, maxRedirects: Int = 5,
        timeout: Duration = ToolContract.defaultTimeout
    ) throws(HTTPToolError) {
        guard !methods.isEmpty else { throw .invalidConfiguration("give at least one method") }
        guard maxResponseBytes >= 0, maxRedirects >= 0 else { throw .invalidConfiguration("the limits cannot be negative") }
        allowList = try HostAllowList(allowedHosts)
        self.methods = methods
        self.maxResponseBytes = maxResponseBytes
        self.maxRedirects = maxRedirects
        let readOnly = methods.allSatisfy(\.isReadOnly)
        contract = ToolContract(
            name: name, description: HTTPRequestTool.describe(allowList: allowList, methods: methods),
            inputSchema: HTTPRequestTool.inputSchema(methods: methods), outputSchema: HTTPRequestTool.outputSchema,
            effect: readOnly ? .readOnly : .sideEffecting, risk: readOnly ? .low : .high, timeout: timeout
        )
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let request = try HTTPRequestArguments(arguments, allowed: methods, idempotencyKey: context.idempotencyKey)
        return try await HTTPExchange(tool: self).send(request)
    }
}
