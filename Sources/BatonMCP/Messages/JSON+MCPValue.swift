import BatonCore
import MCP

extension JSON {
    /// The JSON form of an MCP SDK value.
    ///
    /// The SDK decodes every string that parses as a data URL (`data:…,…`) as its `.data` case;
    /// it becomes a string again here, in the SDK's own encoding (`data:<type>;base64,<bytes>`),
    /// so such a string can come back re-encoded but never as anything but a string.
    init(_ value: MCP.Value) {
        switch value {
        case .null: self = .null
        case let .bool(bool): self = .bool(bool)
        case let .int(int): self = .int(int)
        case let .double(double): self = .double(double)
        case let .string(string): self = .string(string)
        case let .data(mimeType, data): self = .string(data.dataURLEncoded(mimeType: mimeType))
        case let .array(values): self = .array(values.map(JSON.init))
        case let .object(members): self = .object(members.mapValues(JSON.init))
        }
    }
}

extension MCP.Value {
    /// The MCP SDK form of a JSON value; strings stay strings, whatever they hold.
    init(_ json: JSON) {
        switch json {
        case .null: self = .null
        case let .bool(bool): self = .bool(bool)
        case let .int(int): self = .int(int)
        case let .double(double): self = .double(double)
        case let .string(string): self = .string(string)
        case let .array(values): self = .array(values.map(MCP.Value.init))
        case let .object(members): self = .object(members.mapValues(MCP.Value.init))
        }
    }
}
