import ArgumentParser
import BatonCore
import BatonSpec
import Foundation

struct SchemaCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema",
        abstract: "Work with JSON Schemas (draft 2020-12).",
        subcommands: [Validate.self]
    )

    struct Validate: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Validate JSON (or YAML) instances against a schema.",
            discussion: """
                With instance files, prints one verdict per file: 'FILE: valid', or 'FILE: invalid' followed by \
                one line per error (instance path, what is wrong, schema path). Files ending in .yaml or .yml are \
                read as YAML, others as JSON; so is the schema.

                With no instance files, reads JSON Lines from standard input and writes one verdict line per \
                line read, flushed at once: 'valid', 'invalid ERRORS' where ERRORS is a JSON array of \
                {"path", "schema_path", "message"}, or 'error MESSAGE' for a line that is not JSON (an empty \
                line included). A bad line does not stop the others.

                Exit status: 0 every instance is valid, 1 some instance is invalid, 2 unusable input (a schema \
                that does not compile, a file that cannot be read or parsed, a line that is not JSON).

                Examples:
                  baton schema validate person.schema.json ada.json grace.yaml
                  printf '{"age": 200}\\n' | baton schema validate person.schema.json
                """
        )

        @Argument(help: "The schema file (JSON, or YAML for .yaml and .yml).")
        var schema: String

        @Argument(help: "The instance files; none to read JSON Lines from standard input.")
        var instances: [String] = []

        @Flag(name: .long, help: "For instance files: print one JSON object per file instead of text.")
        var json = false

        func validate() throws {
            if json, instances.isEmpty { throw ValidationError("--json applies to instance files; standard input always gets verdict lines") }
        }

        func run() async throws {
            let compiled: JSONSchema
            do {
                compiled = try JSONSchema(try SchemaDocument.load(schema))
            } catch let error as SchemaError {
                printError("\(schema) is not a usable schema: \(error)")
                throw ExitStatus.badInput
            } catch {
                printError("\(error)")
                throw ExitStatus.badInput
            }
            var verdicts = Verdicts()
            if instances.isEmpty {
                while let line = readLine(strippingNewline: true) {
                    print(verdicts.check(line: line, against: compiled))
                    fflush(nil)  // every output stream: a pipeline reads each verdict at once
                }
            } else {
                for file in instances { report(file, verdicts.check(file: file, against: compiled)) }
            }
            if verdicts.unusable { throw ExitStatus.badInput }
            if verdicts.invalid { throw ExitCode(1) }
        }

        /// Prints the verdict on one file.
        private func report(_ file: String, _ verdict: Verdict) {
            switch verdict {
            case .valid:
                print(json ? (["file": .string(file), "valid": true] as JSON).canonicalString : "\(file): valid")
            case let .invalid(errors):
                if json {
                    print((["file": .string(file), "valid": false, "errors": Verdict.json(errors)] as JSON).canonicalString)
                } else {
                    print("\(file): invalid")
                    for error in errors { print("  \(error)") }
                }
            case let .unusable(message):
                if json {
                    print((["file": .string(file), "error": .string(message)] as JSON).canonicalString)
                } else {
                    printError(message)
                }
            }
        }
    }
}

/// What validating one instance found.
private enum Verdict {
    case valid
    case invalid([SchemaValidationError])
    /// The instance could not be read or parsed.
    case unusable(String)

    /// The verdict line of standard-input mode.
    var line: String {
        switch self {
        case .valid: return "valid"
        case let .invalid(errors): return "invalid " + Verdict.json(errors).canonicalString
        case let .unusable(message): return "error " + message
        }
    }

    /// Errors as tool errors carry them: path, schema path, message.
    static func json(_ errors: [SchemaValidationError]) -> JSON {
        .array(errors.map { ["path": .string($0.instancePath), "schema_path": .string($0.schemaPath), "message": .string($0.message)] })
    }
}

/// The verdicts so far, for the exit status.
private struct Verdicts {
    var invalid = false
    var unusable = false

    mutating func check(line: String, against schema: JSONSchema) -> String {
        let verdict: Verdict
        if line.allSatisfy(\.isWhitespace) {
            verdict = .unusable("the line is empty; each line must hold one JSON value")
        } else {
            do {
                verdict = Self.validate(try JSON(parsing: line), against: schema)
            } catch {
                verdict = .unusable(error.description)
            }
        }
        record(verdict)
        return verdict.line
    }

    mutating func check(file: String, against schema: JSONSchema) -> Verdict {
        let verdict: Verdict
        do {
            verdict = Self.validate(try SchemaDocument.load(file), against: schema)
        } catch {
            verdict = .unusable("\(error)")
        }
        record(verdict)
        return verdict
    }

    private mutating func record(_ verdict: Verdict) {
        switch verdict {
        case .valid: break
        case .invalid: invalid = true
        case .unusable: unusable = true
        }
    }

    private static func validate(_ instance: JSON, against schema: JSONSchema) -> Verdict {
        let result = schema.validate(instance)
        return result.isValid ? .valid : .invalid(result.errors)
    }
}

/// Reading a schema or an instance file: YAML for `.yaml` and `.yml`, JSON otherwise.
private enum SchemaDocument {
    static func load(_ path: String) throws -> JSON {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CLIError("cannot read '\(path)': no such file, or it is not readable")
        }
        let text = String(decoding: data, as: UTF8.self)
        let lowercased = path.lowercased()
        if lowercased.hasSuffix(".yaml") || lowercased.hasSuffix(".yml") {
            return try WorkflowLoader.json(yaml: text, file: path)
        }
        do {
            return try JSON(parsing: text)
        } catch {
            throw CLIError("'\(path)' is not valid JSON: \(error)")
        }
    }
}
