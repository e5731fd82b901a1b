/// JSON text in and out of columns: written with ``JSON/canonicalString``, read with
/// ``JSON/init(parsing:)``; records (checkpoints, results…) go through ``RecordCoding``.
package enum ColumnJSON {
    package static func parse(_ text: String, table: String, key: String, column: String) throws -> JSON {
        do {
            return try JSON(parsing: text)
        } catch {
            throw StoreError.corrupted("table \(table), row \(key), column \(column): malformed JSON: \(error)")
        }
    }

    /// Parses the column and reads a record from it with `read` (one of ``RecordCoding``'s decoders).
    package static func decode<T>(
        _ text: String, table: String, key: String, column: String, _ read: (JSON, String) throws -> T
    ) throws -> T {
        let json = try parse(text, table: table, key: key, column: column)
        do {
            return try read(json, column)
        } catch {
            throw StoreError.corrupted("table \(table), row \(key): not a valid record: \(error)")
        }
    }
}
