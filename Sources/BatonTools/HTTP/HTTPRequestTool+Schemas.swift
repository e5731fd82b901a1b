import BatonCore

extension HTTPRequestTool {
    /// What the model reads: what the tool does, where it may go, and the shape of its result.
    static func describe(allowList: HostAllowList, methods: Set<Method>) -> String {
        """
        Sends one HTTP request (\(methods.sorted().map(\.rawValue).joined(separator: ", "))) and returns the response's \
        status, headers and body as text; a JSON body is also parsed into `json`. Any status, 4xx and 5xx included, is \
        returned as a result: check `status`. Allowed hosts: \(allowList). Redirects are followed to allowed hosts only.
        """
    }

    /// The arguments: `method`, `url`, `headers`, `body`.
    static func inputSchema(methods: Set<Method>) -> JSON {
        let names = methods.sorted().map { JSON.string($0.rawValue) }
        let defaultsToGet = methods.contains(.get)
        return [
            "type": "object",
            "additionalProperties": false,
            "required": defaultsToGet ? ["url"] : ["method", "url"],
            "properties": [
                "method": [
                    "enum": .array(names),
                    "description": .string(defaultsToGet ? "The HTTP method; GET when left out." : "The HTTP method."),
                ],
                "url": ["type": "string", "minLength": 1, "description": "An absolute http or https URL on an allowed host."],
                "headers": [
                    "type": "object",
                    "description": "Request headers, name to value.",
                    "propertyNames": ["pattern": "^[!#$%&'*+.^_`|~0-9A-Za-z-]+$"],
                    "additionalProperties": ["type": "string", "pattern": "^[^\\r\\n\\u0000]*$"],
                ],
                "body": [
                    "description": "The request body: a string is sent as it is; any other JSON value is sent as JSON (content-type application/json unless a header says otherwise)."
                ],
            ],
        ]
    }

    /// The result: `status`, `url`, `headers`, `body`, and `json` for a JSON body.
    static let outputSchema: JSON = [
        "type": "object",
        "required": ["status", "url", "headers", "body"],
        "properties": [
            "status": ["type": "integer"],
            "url": ["type": "string"],
            "headers": ["type": "object", "additionalProperties": ["type": "string"]],
            "body": ["type": "string"],
            "json": [:],
        ],
    ]
}
