/// One run of ``JSONSchemaInference``: walks types, remembers what it has described, and turns
/// recursion into `$ref`s.
///
/// Each type is described once per run. A type met again while its own `init(from:)` is being
/// walked is recursive: the inner occurrence becomes a `$ref` (`#` for the root type,
/// `#/$defs/Name` for another), and the type's schema goes into ``definitions``.
final class InferenceContext {
    /// A type's schema, and a value of it to hand back to the code that decoded it; `nil` when
    /// there is none yet (a recursive reference) or none at all.
    struct Inferred<T> {
        var schema: JSON
        var value: T?
    }

    private let root: ObjectIdentifier
    /// Types whose `init(from:)` is being walked, outermost first.
    private var walking: [ObjectIdentifier]
    private var finished: [ObjectIdentifier: (schema: JSON, value: Any?)] = [:]
    /// Recursive types other than the root: their name under `$defs`.
    private var definitionNames: [ObjectIdentifier: String] = [:]
    /// The schemas of recursive types other than the root, by name.
    private(set) var definitions: [String: JSON] = [:]

    /// A run that describes `root`; `walking` lists types to treat as already being walked.
    init(root: any Any.Type, walking: [ObjectIdentifier] = []) {
        self.root = ObjectIdentifier(root)
        self.walking = walking
    }

    /// The schema of `type`, found at `path`, and a value of it.
    func infer<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws(SchemaInferenceError) -> Inferred<T> {
        let id = ObjectIdentifier(type)
        if let done = finished[id] {
            return Inferred(schema: done.schema, value: done.value as? T)
        }
        if let provided = type as? any JSONSchemaProviding.Type {
            let schema = provided.jsonSchema
            guard !walking.contains(id) else { return Inferred(schema: schema, value: nil) }
            let value = placeholder(type, for: schema, at: path)
            finished[id] = (schema, value)
            return Inferred(schema: schema, value: value)
        }
        if let builtin = type as? any InferenceBuiltin.Type {
            let inferred = try builtin.inferred(in: self, at: path)
            return Inferred(schema: inferred.schema, value: inferred.value as? T)
        }
        if var enumeration = Self.enumeration(type) {
            enumeration.schema = try Self.described(type, enumeration.schema, at: path)
            return enumeration
        }
        if walking.contains(id) {
            return Inferred(schema: ["$ref": .string(reference(to: type))], value: nil)
        }
        return try walk(type, at: path)
    }

    /// Runs `T.init(from:)` on an ``InferenceDecoder`` and describes what it read.
    private func walk<T: Decodable>(_ type: T.Type, at path: [any CodingKey]) throws(SchemaInferenceError) -> Inferred<T> {
        let id = ObjectIdentifier(type)
        let recording = ValueRecording()
        walking.append(id)
        let value: T
        do {
            value = try T(from: InferenceDecoder(recording: recording, context: self, codingPath: path))
        } catch {
            walking.removeLast()
            throw (error as? SchemaInferenceError) ?? Self.rejected(type, error, at: path)
        }
        walking.removeLast()
        var schema = try Self.described(type, recording.schema, at: path)
        if let name = definitionNames[id] {
            definitions[name] = schema
            schema = ["$ref": .string("#/$defs/" + name)]
        }
        finished[id] = (schema, value)
        return Inferred(schema: schema, value: value)
    }

    /// `schema` with the description and hints of `type`, if it is ``SchemaDescribed``.
    private static func described<T>(_ type: T.Type, _ schema: JSON, at path: [any CodingKey]) throws(SchemaInferenceError) -> JSON {
        guard let described = type as? any SchemaDescribed.Type else { return schema }
        return try schema.described(by: described, at: pointer(path))
    }

    /// Why the code that decodes a `type` at `path` got no value of it.
    func valueUnavailable<T>(_ type: T.Type, at path: [any CodingKey]) -> SchemaInferenceError {
        let name = String(describing: type)
        if type is any JSONSchemaProviding.Type {
            return SchemaInferenceError(
                .undescribableType, type: name, at: Self.pointer(path),
                "\(name) supplies its own schema (JSONSchemaProviding), and inference needs one \(name) to carry on "
                    + "through the type that contains it, but \(name).init(from:) rejects the placeholder values and none of "
                    + "the \"default\", \"examples\", \"const\" or \"enum\" values of its schema decodes as one; add an example "
                    + "to its schema, or make the member Optional")
        }
        if walking.contains(ObjectIdentifier(type)) {
            return SchemaInferenceError(
                .endlessRecursion, type: name, at: Self.pointer(path),
                "\(name) contains a \(name) with no Optional, array or dictionary in between, so no finite JSON value "
                    + "is one; make the inner \(name) Optional")
        }
        return SchemaInferenceError(
            .undescribableType, type: name, at: Self.pointer(path),
            "\(name) has no values (an enum without cases), so nothing can be decoded as one")
    }

    // MARK: - Recursion

    /// The `$ref` to a recursive type: `#` for the root, `#/$defs/Name` for any other.
    private func reference<T>(to type: T.Type) -> String {
        let id = ObjectIdentifier(type)
        if id == root { return "#" }
        if let name = definitionNames[id] { return "#/$defs/" + name }
        let base = Self.definitionName(String(describing: type))
        var name = base
        var suffix = 2
        while definitionNames.values.contains(name) {
            name = base + String(suffix)
            suffix += 1
        }
        definitionNames[id] = name
        return "#/$defs/" + name
    }

    /// `Box<Int>` as `Box_Int_`: letters, digits, `_`, `-` and `.` only, so that the name needs
    /// no escaping in a URI fragment or a JSON Pointer.
    private static func definitionName(_ typeName: String) -> String {
        String(typeName.unicodeScalars.map { scalar -> Character in
            switch scalar {
            case "a"..."z", "A"..."Z", "0"..."9", "_", "-", ".": return Character(scalar)
            default: return "_"
            }
        })
    }

    // MARK: - Values for types that state their schema

    /// A value of a type that states its schema: the first of its schema's `default`,
    /// `examples`, `const` and `enum` values that decodes, or else what its `init(from:)` makes
    /// of placeholders (walked apart from this run, so the walk leaves no trace in it).
    private func placeholder<T: Decodable>(_ type: T.Type, for schema: JSON, at path: [any CodingKey]) -> T? {
        for example in Self.examples(in: schema) {
            if let value = try? example.decode(T.self) { return value }
        }
        let scratch = InferenceContext(root: type, walking: [ObjectIdentifier(type)])
        return try? T(from: InferenceDecoder(recording: ValueRecording(), context: scratch, codingPath: path))
    }

    private static func examples(in schema: JSON) -> [JSON] {
        var examples: [JSON] = []
        if let value = schema["default"] { examples.append(value) }
        examples += schema["examples"]?.arrayValue ?? []
        if let value = schema["const"] { examples.append(value) }
        examples += schema["enum"]?.arrayValue ?? []
        return examples
    }

    // MARK: - Errors

    private static func rejected<T>(_ type: T.Type, _ error: any Error, at path: [any CodingKey]) -> SchemaInferenceError {
        let name = String(describing: type)
        let detail: String
        switch error as? DecodingError {
        case let .dataCorrupted(context)?, let .keyNotFound(_, context)?, let .typeMismatch(_, context)?,
            let .valueNotFound(_, context)?:
            detail = context.debugDescription
        default:
            detail = String(describing: error)
        }
        return SchemaInferenceError(
            .undescribableType, type: name, at: pointer(path),
            "\(name).init(from:) rejected the placeholder value inference gave it (\(detail)); an enum with raw "
                + "values needs CaseIterable, and a type with its own decoding (an enum with associated values, a "
                + "decoder that validates or tries several forms) can conform to JSONSchemaProviding and state its schema")
    }

    /// `path` as a JSON Pointer; the key that stands for any key is `*`.
    static func pointer(_ path: [any CodingKey]) -> String {
        path.reduce("") { pointer, key in
            let token = key.stringValue == InferenceKeyedContainer<InferenceKey>.anyKey ? "*" : key.stringValue
            return SchemaPointer.appending(pointer, token)
        }
    }
}
