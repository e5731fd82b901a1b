import Foundation
import Testing

import BatonCore

/// Runs the official JSON-Schema-Test-Suite (draft 2020-12) against ``JSONSchema``.
///
/// The suite lives in `shared/conformance/json-schema-test-suite`, beside the repository: the
/// test walks up from this file until it finds that directory. Its `remotes/` are registered as
/// `http://localhost:1234/…`, as the suite's README asks.
@Suite("JSON Schema conformance")
struct JSONSchemaConformanceTests {
    /// The share of required tests that must pass.
    static let requiredPassRate = 0.995

    @Test("draft 2020-12 required tests")
    func requiredTests() throws {
        let suite = try #require(Self.suiteDirectory(), "json-schema-test-suite not found above \(#filePath)")
        let registry = try Self.remotes(in: suite)
        let files = try Self.jsonFiles(in: suite.appendingPathComponent("tests/draft2020-12"), recursive: false)
        let outcome = try Self.run(files, registry: registry)
        let rate = Double(outcome.passed) / Double(max(outcome.total, 1))
        print(
            "JSON Schema conformance: \(outcome.passed) of \(outcome.total) required tests pass (\(String(format: "%.2f", rate * 100))%)"
        )
        for failure in outcome.failures { print("  FAIL (required) \(failure)") }
        #expect(outcome.total > 1_000, "the suite looks incomplete")
        #expect(rate >= Self.requiredPassRate, "\(outcome.failures.count) required tests fail")
    }

    @Test("draft 2020-12 optional tests (reported, not asserted)")
    func optionalTests() throws {
        let suite = try #require(Self.suiteDirectory(), "json-schema-test-suite not found above \(#filePath)")
        let registry = try Self.remotes(in: suite)
        let optional = suite.appendingPathComponent("tests/draft2020-12/optional")
        let files = try Self.jsonFiles(in: optional, recursive: true)
        let formats = files.filter { $0.path.contains("/optional/format/") }
        let others = try Self.run(files.filter { !formats.contains($0) }, registry: registry)
        let formatOutcome = try Self.run(formats, registry: registry)
        print(
            "JSON Schema conformance: \(others.passed) of \(others.total) optional tests pass, and \(formatOutcome.passed) of \(formatOutcome.total) optional format tests (format is not asserted)"
        )
        for failure in others.failures { print("  FAIL (optional) \(failure)") }
    }

    // MARK: - Running

    struct Outcome {
        var passed = 0
        var total = 0
        var failures: [String] = []
    }

    static func run(_ files: [URL], registry: SchemaRegistry) throws -> Outcome {
        var outcome = Outcome()
        for file in files {
            let cases = try JSON(parsing: Array(Data(contentsOf: file)))
            for testCase in cases.arrayValue ?? [] {
                let caseName = "\(file.lastPathComponent): \(testCase["description"]?.stringValue ?? "?")"
                let tests = testCase["tests"]?.arrayValue ?? []
                let schema: JSONSchema
                do {
                    schema = try JSONSchema(testCase["schema"] ?? .null, registry: registry)
                } catch {
                    outcome.total += tests.count
                    outcome.failures.append("\(caseName) — schema rejected: \(error)")
                    continue
                }
                for test in tests {
                    outcome.total += 1
                    let instance = test["data"] ?? .null
                    let expected = test["valid"]?.boolValue ?? false
                    let quick = schema.isValid(instance)
                    let result = schema.validate(instance)
                    if quick == expected, result.isValid == expected {
                        outcome.passed += 1
                    } else {
                        let detail = quick != result.isValid ? " (isValid and validate disagree)" : ""
                        outcome.failures.append(
                            "\(caseName) / \(test["description"]?.stringValue ?? "?"): expected \(expected ? "valid" : "invalid")\(detail)")
                    }
                }
            }
        }
        return outcome
    }

    // MARK: - Locating the suite

    /// `…/shared/conformance/json-schema-test-suite`, found by walking up from this file.
    static func suiteDirectory(from file: String = #filePath) -> URL? {
        var directory = URL(fileURLWithPath: file).deletingLastPathComponent()
        while directory.path != "/" {
            let candidate = directory.appendingPathComponent("shared/conformance/json-schema-test-suite")
            if FileManager.default.fileExists(atPath: candidate.appendingPathComponent("tests").path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    /// Every document under `remotes/`, registered as `http://localhost:1234/<relative path>`.
    static func remotes(in suite: URL) throws -> SchemaRegistry {
        var registry = SchemaRegistry()
        let root = suite.appendingPathComponent("remotes")
        for file in try jsonFiles(in: root, recursive: true) {
            let relative = String(file.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            registry.register(try JSON(parsing: Array(Data(contentsOf: file))), as: "http://localhost:1234/" + relative)
        }
        return registry
    }

    static func jsonFiles(in directory: URL, recursive: Bool) throws -> [URL] {
        var files: [URL] = []
        for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
            let url = directory.appendingPathComponent(name)
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) else { continue }
            if isDirectory.boolValue {
                if recursive { files += try jsonFiles(in: url, recursive: true) }
            } else if name.hasSuffix(".json") {
                files.append(url)
            }
        }
        return files
    }
}
