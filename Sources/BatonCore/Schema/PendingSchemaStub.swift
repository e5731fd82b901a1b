// Temporary stand-in until the validator lands; replaced in the same session.
public struct SchemaRegistry: Sendable { public init() {} }
public struct SchemaError: Error, Sendable, CustomStringConvertible { public var description: String }
public struct SchemaValidationError: Sendable, Equatable, CustomStringConvertible {
    public var instancePath: String
    public var schemaPath: String
    public var message: String
    public var description: String { "\(instancePath): \(message)" }
}
public struct SchemaValidationResult: Sendable {
    public var errors: [SchemaValidationError]
    public var isValid: Bool { errors.isEmpty }
}
public struct JSONSchema: Sendable {
    public let source: JSON
    public init(_ schema: JSON, registry: SchemaRegistry = SchemaRegistry()) throws(SchemaError) { source = schema }
    public func validate(_ instance: JSON) -> SchemaValidationResult {
        if case let .string(type)? = source["type"], type != instance.typeName, !(type == "number" && instance.isNumber) {
            return SchemaValidationResult(errors: [.init(instancePath: "", schemaPath: "/type", message: "expected \(type)")])
        }
        return SchemaValidationResult(errors: [])
    }
}
