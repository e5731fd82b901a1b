import BatonCore
import BatonSpec
import Foundation
import Testing

/// Paths and helpers shared by the BatonSpec tests.
enum Fixtures {
    /// The package's root directory.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let examples = root.appendingPathComponent("examples")
    static let schema = root.appendingPathComponent("docs/workflow.schema.json")

    /// Every example workflow file.
    static var exampleFiles: [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: examples.path)) ?? []
        return names.filter { $0.hasSuffix(".yaml") }.sorted().map { examples.appendingPathComponent($0) }
    }

    /// Functions the test documents call.
    static var functions: FunctionRegistry {
        var registry = FunctionRegistry()
        registry.register("fix_bug") { context in ["patch": .string("fixed \(context.state["category"]?.stringValue ?? "?")")] }
        registry.register("classify") { _ in ["category": "bug"] }
        registry.register("review") { context in ["review": ["ok": .bool(context.state["patch"] != nil)]] }
        registry.register(reducer: CustomReducer(name: "maximum") { current, update in
            guard let current, let a = current.doubleValue, let b = update.doubleValue else { return update }
            return a >= b ? current : update
        })
        return registry
    }

    static var loader: WorkflowLoader { WorkflowLoader(functions: functions) }

    /// A scratch directory for files a test writes.
    static func scratchDirectory() throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baton-spec-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }
}

/// Loads `yaml` expecting failure, and returns the diagnostics.
func diagnostics(_ yaml: String, file: String = "test.yaml", loader: WorkflowLoader = Fixtures.loader) -> [Diagnostic] {
    do {
        _ = try loader.load(yaml: yaml, file: file)
        Issue.record("expected the document to be rejected")
        return []
    } catch {
        return error.diagnostics
    }
}

/// Expects a diagnostic at `line`:`column` with `path` whose message contains `message`.
func expectDiagnostic(
    _ yaml: String, line: Int, column: Int, path: String, _ message: String,
    loader: WorkflowLoader = Fixtures.loader, sourceLocation: SourceLocation = #_sourceLocation
) {
    let found = diagnostics(yaml, loader: loader)
    let match = found.contains { $0.line == line && $0.column == column && $0.path == path && $0.message.contains(message) }
    #expect(match, "expected test.yaml:\(line):\(column): \(path): …\(message)…; got:\n\(found.map(\.description).joined(separator: "\n"))", sourceLocation: sourceLocation)
}
