import BatonCore
import BatonModels
import BatonTesting
import Foundation
import Testing
import Yams

/// The bodies the OpenAI-compatible provider sends are valid `CreateChatCompletionRequest`s of
/// OpenAI's published API description (`../shared/conformance/openai-openapi.yaml`), checked with
/// our own JSON Schema validator.
@Suite struct OpenAPIRequestTests {
    static let documentURI = "https://baton.invalid/openai-openapi.json"

    /// The schema of a request body, compiled against the whole description; `nil` when the file
    /// is not beside the package. Read on a thread of its own: converting 3 MB of YAML takes
    /// seconds, which would hold one of the few threads that run every concurrent test.
    static let requestSchema = Task<Result<JSONSchema, SchemaError>?, Never> {
        (try? await onOwnThread { loadRequestSchema() }) ?? nil
    }

    static func loadRequestSchema() -> Result<JSONSchema, SchemaError>? {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../../shared/conformance/openai-openapi.yaml").standardizedFileURL
        guard let text = try? String(contentsOf: file, encoding: .utf8), let node = try? Yams.compose(yaml: text) else { return nil }
        var registry = SchemaRegistry()
        registry.register(json(node), as: documentURI)
        return Result { () throws(SchemaError) in
            try JSONSchema(["$ref": .string(documentURI + "#/components/schemas/CreateChatCompletionRequest")], registry: registry)
        }
    }

    /// A YAML node as JSON: scalars by their resolved tag (a timestamp stays text).
    static func json(_ node: Yams.Node) -> JSON {
        switch node {
        case let .mapping(mapping):
            var members: [String: JSON] = [:]
            for (key, value) in mapping { members[key.string ?? ""] = json(value) }
            return .object(members)
        case let .sequence(sequence):
            return .array(sequence.map(json))
        case let .scalar(scalar):
            switch Tag.Name(rawValue: node.tag.rawValue) {
            case .null: return .null
            case .bool: return node.bool.map(JSON.bool) ?? .string(scalar.string)
            // An integer beyond 64 bits (the description has -9223372036854776000) as a double.
            case .int: return node.int.map(JSON.int) ?? Double(scalar.string).map(JSON.double) ?? .string(scalar.string)
            case .float: return node.float.map(JSON.double) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .alias:
            return .null
        }
    }

    static let requests: [(String, ModelRequest, Bool)] = [
        ("plain text", ModelRequest(model: "gpt-4.1-mini", messages: [.system("Be brief."), .user("Hi")], temperature: 0.3, maxTokens: 100, stop: ["\n\n"], seed: 42), false),
        ("tools and a named tool choice", ModelRequest(model: "gpt-4.1-mini", messages: [.user("Weather?")], tools: [weatherTool], toolChoice: .tool("get_weather")), false),
        ("required tool choice, streaming", ModelRequest(model: "gpt-4.1-mini", messages: [.user("Weather?")], tools: [weatherTool], toolChoice: .required), true),
        ("tool results", ModelRequest(model: "gpt-4.1-mini", messages: toolConversation, tools: [weatherTool], toolChoice: .auto), true),
        ("json_schema response format", ModelRequest(
            model: "gpt-4.1-mini", messages: [.user("Report")],
            responseFormat: .jsonSchema(name: "report", schema: ["type": "object", "properties": ["ok": ["type": "boolean"]], "required": ["ok"], "additionalProperties": false], strict: true)
        ), false),
        ("json_object response format, no tool choice", ModelRequest(model: "gpt-4.1-mini", messages: [.user("JSON please")], toolChoice: ToolChoice.none, responseFormat: .jsonObject), true),
    ]

    @Test func theDescriptionCompilesAsASchema() async throws {
        let compiled = try #require(await Self.requestSchema.value, "the OpenAPI description is missing from ../shared/conformance")
        _ = try compiled.get()
    }

    @Test(arguments: 0..<requests.count)
    func theBodySentIsAValidCreateChatCompletionRequest(_ index: Int) async throws {
        let schema = try #require(await Self.requestSchema.value, "the OpenAPI description is missing from ../shared/conformance").get()
        let (name, request, stream) = Self.requests[index]
        let streamed = "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"ok\"},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n"
        try await withModelServer({ received in
            (received.json?["stream"] == true) ? [HTTPReplyStep.eventStreamHead(), .body(streamed), .end] : ((try? Fixture.json("openai-chat-text.json")) ?? [])
        }) { server, http in
            let model = server.openAI(http)
            if stream { _ = try await collect(model.stream(request)) } else { _ = try await model.complete(request) }
            let body = try #require(server.lastBody)
            let result = schema.validate(body)
            #expect(result.isValid, "\(name): \(result.errors.map(\.description).joined(separator: "\n"))\n\(body.prettyString())")
        }
    }

    @Test func aBodyThatBreaksTheDescriptionIsCaught() async throws {
        let schema = try #require(await Self.requestSchema.value, "the OpenAPI description is missing from ../shared/conformance").get()
        #expect(!schema.isValid(["model": "gpt-4.1", "messages": [["role": "tool", "content": "no call id"]]]))
        #expect(!schema.isValid(["model": "gpt-4.1", "messages": [["role": "user", "content": "hi"]], "tool_choice": ["tool": "get_weather"]]))
        #expect(!schema.isValid(["model": "gpt-4.1", "messages": [["role": "user", "content": "hi"]], "response_format": ["type": "json_schema", "name": "x", "schema": [:]]]))
    }
}
