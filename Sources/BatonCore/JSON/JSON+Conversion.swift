import Foundation

extension JSON {
    /// Converts any `Encodable` value to `JSON`.
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        self = try JSON(parsing: Array(data))
    }

    /// Decodes this value as `T`.
    public func decode<T: Decodable>(_ type: T.Type = T.self) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(canonicalBytes))
    }
}
