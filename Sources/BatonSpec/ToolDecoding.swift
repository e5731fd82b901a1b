import BatonCore
import Yams

extension WorkflowDecoder {
    static let toolKeys = ["builtin", "description", "timeout", "retry", "risk", "fallback", "max_concurrency", "circuit_breaker"]
    static let circuitBreakerKeys = ["failures", "cooldown"]
    static let mcpServerKeys = ["command", "args", "env", "cwd", "url", "headers", "timeout"]

    /// `tools: { fetch: { builtin: http.request, allowed_hosts: [api.github.com] }, add: { timeout: 2s } }`.
    func toolDeclarations(_ node: YAMLNode, at path: String) -> [ToolDeclaration] {
        namedEntries(
            node, at: path, expected: "a mapping of tool names to their settings", isValid: ToolContract.isValidName,
            name: "a tool name (1 to 64 letters, digits, '_', '-' and '.')", toolDeclaration
        )
    }

    /// Decodes a mapping of names to settings with `decode`; a name `isValid` refuses is reported
    /// (as `name` says what was expected) and skipped.
    private func namedEntries<T>(
        _ node: YAMLNode, at path: String, expected: String, isValid: (String) -> Bool, name: String,
        _ decode: (String, YAMLNode, String) -> T?
    ) -> [T] {
        guard let fields = context.mapping(node, at: path, expected: expected, nullIsEmpty: true) else { return [] }
        var decoded: [T] = []
        for entry in fields.entries {
            let entryPath = fields.path(entry.key)
            guard isValid(entry.key) else {
                context.error(entryPath, at: entry.keyPosition, "expected \(name), found \"\(YAMLNode.excerpt(entry.key))\"")
                continue
            }
            if let value = decode(entry.key, entry.value, entryPath) { decoded.append(value) }
        }
        return decoded
    }

    private func toolDeclaration(_ name: String, _ node: YAMLNode, at path: String) -> ToolDeclaration? {
        // The built-in (if any) decides which further keys are allowed.
        var builtin: String?
        if case let .mapping(mapping) = node, let value = mapping["builtin"] {
            guard let text = context.string(value, at: DecodeContext.join(path, "builtin"), expected: "a built-in tool name") else { return nil }
            guard ToolDeclaration.builtins[text] != nil else {
                let known = ToolDeclaration.builtins.keys.sorted()
                context.error(DecodeContext.join(path, "builtin"), node: value, "unknown built-in tool '\(text)'\(Suggestions.didYouMean(text, among: known)); expected \(Suggestions.list(known))")
                return nil
            }
            builtin = text
        }
        let settingKeys = builtin.flatMap { ToolDeclaration.builtins[$0] } ?? []
        guard let fields = context.mapping(node, at: path, expected: "the tool's settings", allowed: Self.toolKeys + settingKeys, nullIsEmpty: true) else {
            return nil
        }
        var read = FieldReader(fields)
        var overrides = ContractOverrides()
        overrides.description = read("description") { context.string($0, at: $1, expected: "a description") }
        overrides.timeout = read("timeout") { duration($0, at: $1) }
        overrides.retry = read("retry") { retryPolicy($0, at: $1) }
        overrides.risk = read("risk") { context.choice($0, at: $1, of: ToolRisk.self) }
        overrides.fallback = read("fallback") { value, path in
            guard let text = context.string(value, at: path, expected: "a tool name"), ToolContract.isValidName(text) else {
                context.error(path, node: value, "expected the name of the tool to call when this one fails, found \(value.found)")
                return nil
            }
            return text
        }
        overrides.maxConcurrency = read("max_concurrency") { context.integer($0, at: $1) }
        overrides.circuitBreaker = read("circuit_breaker") { circuitBreaker($0, at: $1) }
        var settings: [String: JSON] = [:]
        for key in settingKeys {
            if let value = read(key, { context.json($0, at: $1) }) { settings[key] = value }
        }
        let settingsValid = builtin.map { checkSettings(settings, of: $0, at: path) } ?? true
        return read.failed || !settingsValid ? nil : ToolDeclaration(name: name, builtin: builtin, settings: settings, overrides: overrides)
    }

    /// `circuit_breaker: { failures: 5, cooldown: 30s }`, or `circuit_breaker: off`.
    private func circuitBreaker(_ node: YAMLNode, at path: String) -> CircuitBreakerPolicy? {
        guard let fields = context.mapping(node, at: path, expected: "a mapping with failures and cooldown", allowed: Self.circuitBreakerKeys) else {
            return nil
        }
        let defaults = CircuitBreakerPolicy()
        let failures = fields.value("failures").map { context.integer($0, at: fields.path("failures")) } ?? defaults.failureThreshold
        let cooldown = fields.value("cooldown").map { duration($0, at: fields.path("cooldown")) } ?? defaults.cooldown
        guard let failures, let cooldown else { return nil }
        return CircuitBreakerPolicy(failureThreshold: failures, cooldown: cooldown)
    }

    /// The shapes of the built-ins' settings, checked here so that a mistake is found when the file loads.
    private func checkSettings(_ settings: [String: JSON], of builtin: String, at path: String) -> Bool {
        var valid = true
        func check(_ key: String, _ expected: String, _ isValid: (JSON) -> Bool) {
            guard let value = settings[key], !isValid(value) else { return }
            context.error(DecodeContext.join(path, key), "expected \(expected), found \(JSON.excerpt(value))")
            valid = false
        }
        let isStringList: (JSON) -> Bool = { $0.arrayValue.map { !$0.isEmpty && $0.allSatisfy { $0.stringValue?.isEmpty == false } } ?? false }
        check("allowed_hosts", "a non-empty list of host names such as api.example.com or *.example.com", isStringList)
        check("methods", "a list of HTTP methods such as [GET, POST]", isStringList)
        check("max_response_bytes", "a positive number of bytes") { ($0.intValue ?? 0) > 0 }
        check("max_bytes", "a positive number of bytes") { ($0.intValue ?? 0) > 0 }
        check("root", "a directory path") { $0.stringValue?.isEmpty == false }
        if builtin == "http.request", settings["allowed_hosts"] == nil {
            context.error(path, "missing required key 'allowed_hosts' (the hosts http.request may reach; nothing else is allowed)")
            valid = false
        }
        if builtin.hasPrefix("file."), settings["root"] == nil {
            context.error(path, "missing required key 'root' (the directory \(builtin) is confined to)")
            valid = false
        }
        return valid
    }

    /// Why `name` cannot be called, or `nil` if it can: a tool the file declares, a tool of a
    /// server it declares (`server.tool`), or a tool of the loader's tool provider. With neither
    /// declarations nor a provider, tools are the runner's business and any name is accepted.
    func unknownTool(_ name: String) -> String? {
        let declared = toolDeclarations.map(\.name)
        let servers = mcpServerDeclarations.map(\.name)
        guard tools != nil || !declared.isEmpty || !servers.isEmpty else { return nil }
        if declared.contains(name) || tools?.hasTool(name) == true { return nil }
        if let dot = name.firstIndex(of: "."), servers.contains(String(name[..<dot])) { return nil }
        var known = declared.sorted() + servers.sorted().map { "\($0).*" }
        known += tools?.toolNames ?? []
        return "unknown tool '\(name)'\(Suggestions.didYouMean(name, among: known)); expected a tool declared under tools:, a tool of a server under mcp_servers: (SERVER.TOOL)"
            + (tools == nil ? "" : ", or a tool of the program's tool box")
    }

    /// A declared fallback must be a tool that can be called.
    func checkFallbacks() {
        for declaration in toolDeclarations {
            guard let fallback = declaration.overrides.fallback else { continue }
            let path = "tools.\(declaration.name).fallback"
            if fallback == declaration.name {
                context.error(path, "a tool cannot be its own fallback")
            } else if let problem = unknownTool(fallback) {
                context.error(path, problem)
            }
        }
    }

    /// `mcp_servers: { time: { command: uvx, args: [mcp-server-time] }, docs: { url: https://… } }`.
    func mcpServers(_ node: YAMLNode, at path: String) -> [MCPServerDeclaration] {
        namedEntries(
            node, at: path, expected: "a mapping of server names to how to reach them", isValid: Names.isValid,
            name: "a server name (letters, digits, '_' and '-', starting with a letter or '_'; its tools are called NAME.TOOL)", mcpServer
        )
    }

    private func mcpServer(_ name: String, _ node: YAMLNode, at path: String) -> MCPServerDeclaration? {
        guard let fields = context.mapping(node, at: path, expected: "a mapping with command (and args, env, cwd) or url (and headers)", allowed: Self.mcpServerKeys) else {
            return nil
        }
        var read = FieldReader(fields)
        let stringMap: (YAMLNode, String) -> [String: String]? = { value, path in
            guard let map = self.context.mapping(value, at: path, expected: "a mapping of names to text", nullIsEmpty: true) else { return nil }
            var result: [String: String] = [:]
            for entry in map.entries {
                guard let text = self.context.string(entry.value, at: map.path(entry.key), expected: "a text value") else { return nil }
                result[entry.key] = text
            }
            return result
        }
        let command = read("command") { context.string($0, at: $1, expected: "the command that starts the server") }
        let arguments = read("args") { value, path in context.list(value, at: path, nullIsEmpty: true)?.compactMap { context.string($0.node, at: $0.path, expected: "an argument") } }
        let environment = read("env", stringMap)
        let directory = read("cwd") { context.string($0, at: $1, expected: "a working directory") }
        let url = read("url") { value, path -> String? in
            guard let text = context.string(value, at: path, expected: "the server's URL"), text.hasPrefix("http://") || text.hasPrefix("https://") else {
                context.error(path, node: value, "expected an http:// or https:// URL, found \(value.found)")
                return nil
            }
            return text
        }
        let headers = read("headers", stringMap)
        let timeout = read("timeout") { duration($0, at: $1) }
        if read.failed { return nil }
        switch (command, url) {
        case let (command?, nil):
            if headers != nil { context.error(fields.path("headers"), "headers go with url; a server started with command has none") }
            return MCPServerDeclaration(
                name: name, transport: .stdio(command: command, arguments: arguments ?? [], environment: environment ?? [:], workingDirectory: directory),
                timeout: timeout
            )
        case let (nil, url?):
            if arguments != nil || environment != nil || directory != nil {
                context.error(path, "args, env and cwd go with command; a server reached at url has none")
            }
            return MCPServerDeclaration(name: name, transport: .http(url: url, headers: headers ?? [:]), timeout: timeout)
        case (_?, _?):
            context.error(path, "expected either command (a server Baton starts) or url (a server it connects to), not both")
            return nil
        case (nil, nil):
            context.error(path, at: fields.position, "missing required key 'command' or 'url' (how to reach the server)")
            return nil
        }
    }
}
