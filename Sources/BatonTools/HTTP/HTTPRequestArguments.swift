import BatonCore

/// The arguments of one `http.request` call, checked and ready to send.
struct HTTPRequestArguments: Sendable {
    var method: HTTPRequestTool.Method
    var url: String
    /// In the order given (sorted by name, since they come from a JSON object), names as given.
    var headers: [(name: String, value: String)]
    var body: [UInt8]?

    /// Headers the HTTP client writes itself: framing, connection management and `Host`.
    static let forbiddenHeaders: Set<String> = [
        "host", "content-length", "transfer-encoding", "connection", "keep-alive", "upgrade", "te", "trailer",
        "proxy-connection", "expect",
    ]

    /// Reads `arguments`; `idempotencyKey` becomes an `Idempotency-Key` header of a request that
    /// writes, unless the headers set one.
    init(_ arguments: JSON, allowed: Set<HTTPRequestTool.Method>, idempotencyKey: String) throws(HTTPToolError) {
        let allowedNames = allowed.sorted().map(\.rawValue)
        switch arguments["method"] {
        case nil:
            guard allowed.contains(.get) else { throw .invalidArguments("'method' is required, one of \(allowedNames.joined(separator: ", "))") }
            method = .get
        case let .string(name)?:
            guard let known = HTTPRequestTool.Method(rawValue: name.uppercased()), allowed.contains(known) else {
                throw .methodNotAllowed(name, allowed: allowedNames)
            }
            method = known
        case let other?:
            throw .invalidArguments("'method' must be a string, not \(other.typeName)")
        }
        guard let url = arguments["url"]?.stringValue else { throw .invalidArguments("'url' is required and must be a string") }
        self.url = url

        headers = []
        for (name, value) in (arguments["headers"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let text = value.stringValue else { throw .invalidArguments("the header '\(name)' must be a string, not \(value.typeName)") }
            guard !name.isEmpty, name.unicodeScalars.allSatisfy(Self.isTokenCharacter) else {
                throw .invalidArguments("'\(name)' is not a valid header name")
            }
            guard !text.unicodeScalars.contains(where: { $0 == "\r" || $0 == "\n" || $0 == "\0" }) else {
                throw .invalidArguments("the value of the header '\(name)' contains a line break or NUL")
            }
            guard !Self.forbiddenHeaders.contains(name.lowercased()) else { throw .forbiddenHeader(name) }
            headers.append((name, text))
        }

        switch arguments["body"] {
        case nil, .null?:
            body = nil
        case let .string(text)?:
            body = Array(text.utf8)
        case let value?:
            body = value.canonicalBytes
            if !hasHeader("content-type") { headers.append(("content-type", "application/json")) }
        }
        if !method.isReadOnly, !hasHeader("idempotency-key") {
            headers.append(("Idempotency-Key", idempotencyKey))
        }
    }

    /// Whether a header of this name (lowercase) is set.
    func hasHeader(_ name: String) -> Bool {
        headers.contains { $0.name.lowercased() == name }
    }

    /// The request to send after a redirect with `status` to `url`, which is on another host when
    /// `crossesHosts`: 303, and 301 and 302 after a `POST`, continue as a `GET` without a body;
    /// credentials stay with their host.
    func redirected(status: Int, to url: String, crossesHosts: Bool) -> HTTPRequestArguments {
        var next = self
        next.url = url
        if status == 303 && method != .head || (status == 301 || status == 302) && method == .post {
            next.method = .get
            next.body = nil
            next.headers.removeAll { ["content-type", "idempotency-key"].contains($0.name.lowercased()) }
        }
        if crossesHosts {
            next.headers.removeAll { ["authorization", "cookie", "proxy-authorization"].contains($0.name.lowercased()) }
        }
        return next
    }

    /// A character of an RFC 9110 token.
    static func isTokenCharacter(_ scalar: Unicode.Scalar) -> Bool {
        guard scalar.isASCII else { return false }
        return ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
            || "!#$%&'*+-.^_`|~".unicodeScalars.contains(scalar)
    }
}
