import BatonCore
import BatonSpec
import Testing

/// The `tools:` and `mcp_servers:` sections: what they declare, and the mistakes they catch.
@Suite struct ToolDeclarationTests {
    static let yaml = """
        baton: 1
        name: research
        tools:
          fetch:
            builtin: http.request
            allowed_hosts: [api.github.com, "*.example.com"]
            timeout: 10s
            retry: 2
            fallback: cached
          cached:
            builtin: file.read
            root: ./cache
            max_bytes: 65536
            risk: low
          add:
            max_concurrency: 4
            circuit_breaker: { failures: 3, cooldown: 1m }
        mcp_servers:
          time:
            command: python3
            args: [-m, mcp_server_time, --local-timezone, UTC]
            env: { LANG: C }
            timeout: 5s
          docs:
            url: http://127.0.0.1:8000/mcp
            headers: { Authorization: Bearer abc }
        nodes:
          now: { tool: time.get_current_time, args: { timezone: UTC }, into: now }
          page: { tool: fetch, args: { url: "https://api.github.com" }, into: page }
          sum: { tool: add, args: { a: 1, b: 2 }, into: sum }
        edges:
          - { from: now, to: page }
          - { from: page, to: sum }
        """

    @Test func declarationsAreLoadedWithTheWorkflow() throws {
        let loaded = try Fixtures.loader.load(yaml: Self.yaml)
        #expect(loaded.tools.map(\.name) == ["fetch", "cached", "add"])
        let fetch = try #require(loaded.tools.first)
        #expect(fetch.builtin == "http.request")
        #expect(fetch.settings["allowed_hosts"] == ["api.github.com", "*.example.com"])
        #expect(fetch.overrides.timeout == .seconds(10))
        #expect(fetch.overrides.retry?.maxAttempts == 2)
        #expect(fetch.overrides.fallback == "cached")
        #expect(loaded.tools[1].overrides.risk == .low)
        #expect(loaded.tools[2].builtin == nil)
        #expect(loaded.tools[2].overrides.circuitBreaker == CircuitBreakerPolicy(failureThreshold: 3, cooldown: .seconds(60)))
        #expect(loaded.mcpServers.map(\.name) == ["time", "docs"])
        #expect(loaded.mcpServers[0].transport == .stdio(command: "python3", arguments: ["-m", "mcp_server_time", "--local-timezone", "UTC"], environment: ["LANG": "C"], workingDirectory: nil))
        #expect(loaded.mcpServers[0].timeout == .seconds(5))
        #expect(loaded.mcpServers[1].transport == .http(url: "http://127.0.0.1:8000/mcp", headers: ["Authorization": "Bearer abc"]))
    }

    @Test func theFormatSchemaAcceptsTheSections() throws {
        let schema = try SchemaConformanceTests.formatSchema()
        let result = schema.validate(try WorkflowLoader.json(yaml: Self.yaml, file: "tools.yaml"))
        #expect(result.isValid, "\(result.errors)")
    }

    @Test func overridesChangeOnlyWhatTheyName() {
        let contract = ToolContract(name: "add", description: "Adds.", effect: .pure, timeout: .seconds(30))
        let changed = ContractOverrides(timeout: .seconds(2), maxConcurrency: 4).applied(to: contract, name: "plus")
        #expect(changed.name == "plus")
        #expect(changed.timeout == .seconds(2))
        #expect(changed.maxConcurrency == 4)
        #expect(changed.description == "Adds.")
        #expect(changed.effect == .pure)
    }

    @Test func mistakesAreReportedWhereTheyAre() {
        let header = "baton: 1\nname: t\n"
        let node = "nodes:\n  a: { tool: fetch }\n"
        expectDiagnostic(header + "tools:\n  fetch: { builtin: http.get }\n" + node, line: 4, column: 21, path: "tools.fetch.builtin", "unknown built-in tool 'http.get'")
        expectDiagnostic(header + "tools:\n  fetch: { builtin: http.request }\n" + node, line: 4, column: 10, path: "tools.fetch", "missing required key 'allowed_hosts'")
        expectDiagnostic(header + "tools:\n  fetch: { builtin: file.read, root: ., allowed_hosts: [x] }\n" + node, line: 4, column: 41, path: "tools.fetch.allowed_hosts", "unknown key 'allowed_hosts'")
        expectDiagnostic(header + "tools:\n  fetch: { risk: extreme }\n" + node, line: 4, column: 18, path: "tools.fetch.risk", "expected low, medium or high")
        expectDiagnostic(header + "tools:\n  fetch: { fallback: nowhere }\n" + node, line: 4, column: 22, path: "tools.fetch.fallback", "unknown tool 'nowhere'")
        expectDiagnostic(header + "tools:\n  fetch: {}\nnodes:\n  a: { tool: fetc }\n", line: 6, column: 14, path: "nodes.a.tool", "unknown tool 'fetc' (did you mean 'fetch'?)")
        expectDiagnostic(header + "mcp_servers:\n  time: { command: x, url: \"http://h\" }\n" + node, line: 4, column: 9, path: "mcp_servers.time", "not both")
        expectDiagnostic(header + "mcp_servers:\n  time: { args: [x] }\n" + node, line: 4, column: 9, path: "mcp_servers.time", "missing required key 'command' or 'url'")
        expectDiagnostic(header + "mcp_servers:\n  time: { url: ftp://h }\n" + node, line: 4, column: 16, path: "mcp_servers.time.url", "expected an http:// or https:// URL")
        expectDiagnostic(header + "mcp_servers:\n  time: { command: x }\nnodes:\n  a: { tool: clock.now }\n", line: 6, column: 14, path: "nodes.a.tool", "unknown tool 'clock.now'")
    }

    @Test func withoutDeclarationsOrAProviderToolNamesAreTheRunnersBusiness() throws {
        _ = try Fixtures.loader.load(yaml: "baton: 1\nname: t\nnodes:\n  a: { tool: anything }\n")
    }
}
