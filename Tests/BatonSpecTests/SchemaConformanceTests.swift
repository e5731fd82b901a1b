import BatonCore
import BatonSpec
import Foundation
import Testing

/// docs/workflow.schema.json (for editors) agrees with the loader: every example and every
/// valid test document conforms to it, and documents the loader refuses for their shape do not.
///
/// The structural checks are as strong as BatonCore's `JSONSchema` validator; the negative test
/// is skipped if a stand-in validator that checks only `type` is ever swapped in.
@Suite struct SchemaConformanceTests {
    static func formatSchema() throws -> JSONSchema {
        let text = try String(contentsOf: Fixtures.schema, encoding: .utf8)
        return try JSONSchema(try JSON(parsing: text))
    }

    /// True when `JSONSchema` validates more than the stand-in's top-level `type`.
    static var validatorIsReal: Bool {
        (try? JSONSchema(["minLength": 3]))?.validate("a").isValid == false
    }

    static var validDocuments: [(name: String, yaml: String)] {
        var documents = Fixtures.exampleFiles.map { ($0.lastPathComponent, (try? String(contentsOf: $0, encoding: .utf8)) ?? "") }
        documents.append(("triage fixture", triageYAML))
        documents.append(("equivalence fixture", EquivalenceTests.yaml))
        return documents
    }

    @Test func schemaIsValidJSONSchema() throws {
        let schema = try Self.formatSchema()
        #expect(schema.source["$schema"] == "https://json-schema.org/draft/2020-12/schema")
    }

    @Test func everyValidDocumentConforms() throws {
        let schema = try Self.formatSchema()
        for document in Self.validDocuments {
            let json = try WorkflowLoader.json(yaml: document.yaml, file: document.name)
            let result = schema.validate(json)
            #expect(result.isValid, "\(document.name): \(result.errors.map(\.description).joined(separator: "; "))")
        }
    }

    @Test(.enabled(if: validatorIsReal, "needs BatonCore's JSON Schema validator"))
    func shapesTheLoaderRefusesDoNotConform() throws {
        let schema = try Self.formatSchema()
        let refused = [
            "baton: 1\nname: x\nnodes: { a: { set: {} } }\nextra: 1\n",
            "baton: 2\nname: x\nnodes: { a: { set: {} } }\n",
            "baton: 1\nnodes: { a: { set: {} } }\n",
            "baton: 1\nname: x\nnodes: { a: { function: f, args: {} } }\n",
            "baton: 1\nname: x\nnodes: { a: { set: {}, tool: t } }\n",
            "baton: 1\nname: x\nnodes: { a: { wait: { timer: 5s, signal: s } } }\n",
            "baton: 1\nname: x\nnodes: { a: { set: { xs: [1] } } }\n",
            "baton: 1\nname: x\nnodes: { a: { set: {}, timeout: 5 minutes } }\n",
            "baton: 1\nname: x\nnodes: { a: { set: {} } }\nedges: [\"a - b\"]\n",
        ]
        for yaml in refused {
            #expect(throws: SpecError.self, "the loader accepts:\n\(yaml)") { try Fixtures.loader.load(yaml: yaml) }
            let json = try WorkflowLoader.json(yaml: yaml)
            #expect(!schema.validate(json).isValid, "the schema accepts:\n\(yaml)")
        }
    }
}
