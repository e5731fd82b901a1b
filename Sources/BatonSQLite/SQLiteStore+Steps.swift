import BatonCore
import GRDB

/// What steps leave behind: results of the current superstep and journaled effects.
extension SQLiteStore {
    public func stepResults(run: RunID, superstep: Int) async throws -> [StepResult] {
        let rows = try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT key, result FROM step_results WHERE run = ? AND superstep = ? ORDER BY position")
            return try Row.fetchAll(statement, arguments: [run.rawValue, superstep]).map { row in
                let reader = RowReader(row: row, table: "step_results", key: "\(run.rawValue)/\(superstep)")
                let key = try reader.text(0, "key")
                return (key, try reader.text(1, "result"))
            }
        }
        return try mapped {
            try rows.map { key, text in
                try ColumnJSON.decode(text, table: "step_results", key: "\(run.rawValue)/\(superstep)/\(key)", column: "result", RecordCoding.stepResult)
            }
        }
    }

    public func effects(run: RunID, step: String) async throws -> [Int: JSON] {
        let rows = try await read { db in
            let statement = try db.cachedStatement(sql: "SELECT idx, value FROM effects WHERE run = ? AND step = ?")
            return try Row.fetchAll(statement, arguments: [run.rawValue, step]).map { row in
                let reader = RowReader(row: row, table: "effects", key: "\(run.rawValue)/\(step)")
                return (try reader.integer(0, "idx"), try reader.text(1, "value"))
            }
        }
        return try mapped {
            var effects: [Int: JSON] = [:]
            for (index, text) in rows {
                effects[Int(index)] = try ColumnJSON.parse(text, table: "effects", key: "\(run.rawValue)/\(step)#\(index)", column: "value")
            }
            return effects
        }
    }

    public func recordEffect(_ effect: EffectRecord) async throws {
        let value = effect.value.canonicalString
        let key = auditKey
        try await write { db in
            let head = try RunHead.fetch(db, effect.run)
            try db.cachedStatement(sql: "INSERT OR REPLACE INTO effects (run, step, idx, name, value) VALUES (?, ?, ?, ?, ?)")
                .execute(arguments: [effect.run.rawValue, effect.step, effect.index, effect.name, value])
            let sealed = try Journal.append([effect.event], run: effect.run, after: head, key: key, db)
            try Journal.advanceHead(effect.run, to: sealed, key: key, db)
        }
    }
}
