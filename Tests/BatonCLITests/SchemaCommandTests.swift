import BatonCore
import Foundation
import Testing

/// `baton schema validate`, run as a user runs it.
@Suite struct SchemaCommandTests {
    static let schema = #"{"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer", "maximum": 150}}, "required": ["name"]}"#

    @Test func validatesInstanceFiles() async throws {
        let cli = try CLI()
        let schema = try cli.write("person.schema.json", Self.schema)
        let ada = try cli.write("ada.json", #"{"name": "Ada", "age": 36}"#)
        let grace = try cli.write("grace.yaml", "name: Grace\nage: 85\n")
        let valid = try await cli.run(["schema", "validate", schema, ada, grace], withStore: false)
        expectNoCrash(valid)
        #expect(valid.status == 0, "\(valid.stderr)")
        #expect(valid.stdout == "\(ada): valid\n\(grace): valid\n")

        let old = try cli.write("old.json", #"{"age": 200}"#)
        let invalid = try await cli.run(["schema", "validate", schema, ada, old], withStore: false)
        #expect(invalid.status == 1)
        #expect(invalid.stdout.contains("\(ada): valid\n\(old): invalid\n"))
        #expect(invalid.stdout.contains("  /age: must be at most 150 (schema /properties/age/maximum)"))
        #expect(invalid.stdout.contains("missing required property 'name'"))

        let json = try await cli.run(["schema", "validate", schema, old, "--json"], withStore: false)
        #expect(json.status == 1)
        #expect(json.json?["valid"] == false)
        #expect(json.json?["errors"]?.arrayValue?.contains(["path": "/age", "schema_path": "/properties/age/maximum", "message": "must be at most 150"]) == true)
    }

    @Test func unusableFilesGiveStatus2AndTheOthersAreStillChecked() async throws {
        let cli = try CLI()
        let schema = try cli.write("person.schema.json", Self.schema)
        let ada = try cli.write("ada.json", #"{"name": "Ada"}"#)
        let broken = try cli.write("broken.json", #"{"name": "#)
        let result = try await cli.run(["schema", "validate", schema, "missing.json", broken, ada], withStore: false)
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stdout == "\(ada): valid\n")
        #expect(result.stderr.contains("error: cannot read 'missing.json'"))
        #expect(result.stderr.contains("broken.json' is not valid JSON"))
        #expect(result.stderr.contains("column"))
    }

    @Test func aSchemaThatDoesNotCompileIsRefused() async throws {
        let cli = try CLI()
        let ada = try cli.write("ada.json", #"{"name": "Ada"}"#)
        let bad = try cli.write("bad.schema.json", #"{"type": 5}"#)
        let result = try await cli.run(["schema", "validate", bad, ada], withStore: false)
        expectNoCrash(result)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("is not a usable schema: invalid schema at /type"))

        let missing = try await cli.run(["schema", "validate", "nowhere.json", ada], withStore: false)
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("cannot read 'nowhere.json'"))
    }

    @Test func aYAMLSchemaIsReadAsYAML() async throws {
        let cli = try CLI()
        let schema = try cli.write("list.schema.yaml", "type: array\nitems: { type: integer }\nmaxItems: 2\n")
        let result = try await cli.run(["schema", "validate", schema], withStore: false, input: "[1, 2]\n[1, 2, 3]\n")
        #expect(result.status == 1)
        #expect(result.stdout.split(separator: "\n").first == "valid")
        #expect(result.stdout.split(separator: "\n").last?.hasPrefix("invalid ") == true)
    }

    @Test func standardInputGetsOneVerdictLinePerLine() async throws {
        let cli = try CLI()
        let schema = try cli.write("person.schema.json", Self.schema)
        let allValid = try await cli.run(["schema", "validate", schema], withStore: false, input: "{\"name\": \"Ada\"}\n{\"name\": \"Grace\", \"age\": 85}\n")
        #expect(allValid.status == 0, "\(allValid.stderr)")
        #expect(allValid.stdout == "valid\nvalid\n")

        let mixed = try await cli.run(["schema", "validate", schema], withStore: false, input: "{\"name\": \"Ada\"}\n{\"age\": 200}\n")
        #expect(mixed.status == 1)
        let lines = mixed.stdout.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        try #require(lines.count == 3 && lines[2].isEmpty, "\(mixed.stdout)")
        #expect(lines[0] == "valid")
        let invalid = try #require(lines[1].split(separator: " ", maxSplits: 1).last)
        #expect(lines[1].hasPrefix("invalid ["))
        let errors = try JSON(parsing: String(invalid))
        #expect(errors.arrayValue?.count == 2)
        #expect(errors.arrayValue?.contains(["path": "", "schema_path": "/required", "message": "missing required property 'name'"]) == true)
    }

    @Test func aLineThatIsNotJSONGetsAnErrorVerdictAndTheRestGoOn() async throws {
        let cli = try CLI()
        let schema = try cli.write("person.schema.json", Self.schema)
        let result = try await cli.run(["schema", "validate", schema], withStore: false, input: "{\"name\": \"Ada\"}\nnot json\n\n{\"age\": 200}\n{\"name\": \"Grace\"}\n")
        expectNoCrash(result)
        #expect(result.status == 2)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        try #require(lines.count == 5, "\(result.stdout)")
        #expect(lines[0] == "valid")
        #expect(lines[1].hasPrefix("error invalid JSON at line 1, column"))
        #expect(lines[2].hasPrefix("error the line is empty"))
        #expect(lines[3].hasPrefix("invalid "))
        #expect(lines[4] == "valid")
    }

    @Test func helpHasAnExample() async throws {
        let cli = try CLI()
        let help = try await cli.run(["schema", "validate", "--help"], withStore: false)
        #expect(help.status == 0)
        #expect(help.stdout.contains("Example"))
        #expect(help.stdout.contains("baton schema validate person.schema.json"))
        let misuse = try await cli.run(["schema", "validate", "s.json", "--json"], withStore: false)
        #expect(misuse.status != 0)
        #expect(misuse.stderr.contains("--json applies to instance files"))
    }
}
