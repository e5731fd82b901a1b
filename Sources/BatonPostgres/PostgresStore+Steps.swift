import BatonCore
import PostgresNIO

/// Committing steps, and what steps leave behind: results of the current superstep and
/// journaled effects.
extension PostgresStore {
    public func commit(_ commit: consuming StepCommit) async throws -> CommitReceipt {
        let commit = commit
        let time = commit.events.last?.time ?? EventDraft.now()
        let result = commit.result.map { RecordCoding.json($0).canonicalString }
        let next = commit.advance?.checkpoint
        let checkpoint = next.map { RecordCoding.json($0).canonicalString }
        let record = next.map { RecordCoding.json($0, writes: commit.advance?.writes ?? [], time: time).canonicalString }
        let waitingFor = commit.advance.map { JSON.array($0.waitingFor.map(RecordCoding.json)).canonicalString }
        let output = commit.advance?.output?.canonicalString
        let key = auditKey
        return try await transaction { connection, logger in
            let run = commit.run.rawValue
            let head = try await PostgresRunHead.lock(commit.run, schema: self.s, connection, logger)
            guard head.leaseID == commit.owner.id else { throw PostgresStoreFailure(storeError: .leaseLost(commit.run)) }

            // A result committed together with its superstep's checkpoint would be deleted at once:
            // write it only while the superstep is still open.
            if let stepResult = commit.result, let result, next == nil {
                try await connection.query("""
                    INSERT INTO \(unescaped: self.s).step_results (run, superstep, key, result)
                    VALUES (\(run), \(commit.superstep), \(stepResult.key), \(result))
                    ON CONFLICT (run, superstep, key) DO UPDATE SET result = excluded.result
                    """, logger: logger)
            }
            let sealed = try await PostgresJournal.append(
                commit.events, run: commit.run, after: head, key: key, checkpoint: record, schema: self.s, connection, logger
            )
            if !commit.consumedSignals.isEmpty {
                try await connection.query(
                    "DELETE FROM \(unescaped: self.s).signals WHERE run = \(run) AND id = ANY(\(commit.consumedSignals)::bigint[])", logger: logger
                )
            }
            if let next, let record {
                if sealed.isEmpty {
                    try await connection.query("""
                        INSERT INTO \(unescaped: self.s).checkpoints (run, n, superstep, time, record)
                        VALUES (\(run), \(head.checkpointCount + 1), \(next.superstep), \(time), \(record))
                        """, logger: logger)
                }
                try await connection.query(
                    "DELETE FROM \(unescaped: self.s).step_results WHERE run = \(run) AND superstep = \(commit.superstep)", logger: logger
                )
            }
            let lastSeq = sealed.last?.seq ?? head.lastSeq
            let lastHash = sealed.last?.hash ?? head.lastHash
            // NULL keeps the head's MAC (no event appended, or a run without MACs); NULL keeps a
            // column that no advance changes. An advance that ends or parks the run releases its lease.
            let headMAC = sealed.isEmpty ? nil : key?.mac(head: commit.run, seq: lastSeq, hash: lastHash)
            let status = commit.advance?.status.rawValue
            // Terminal: nothing more to do; waiting: the first timer, if any; otherwise unchanged.
            let readyAt: Int64? = commit.advance.flatMap { advance in
                advance.status == .waiting ? advance.waitingFor.compactMap(\.deadline).min() : nil
            }
            let keepsReady = commit.advance.map { !$0.status.isTerminal && $0.status != .waiting } ?? true
            let releases = commit.advance.map { $0.status.isTerminal || $0.status == .waiting } ?? false
            try await connection.query("""
                UPDATE \(unescaped: self.s).runs SET last_seq = \(Int64(lastSeq)), last_hash = \(lastHash), head_mac = coalesce(\(headMAC), head_mac),
                    updated_at = \(time), checkpoint_count = checkpoint_count + \(checkpoint == nil ? 0 : 1),
                    checkpoint = coalesce(\(checkpoint), checkpoint), waiting_for = coalesce(\(waitingFor), waiting_for),
                    output = coalesce(\(output), output), reason = coalesce(\(commit.advance?.reason), reason), status = coalesce(\(status), status),
                    lease_id = CASE WHEN \(releases) THEN NULL ELSE lease_id END,
                    lease_host = CASE WHEN \(releases) THEN NULL ELSE lease_host END,
                    lease_pid = CASE WHEN \(releases) THEN NULL ELSE lease_pid END,
                    lease_expires_at = CASE WHEN \(releases) THEN NULL ELSE lease_expires_at END,
                    ready_at = CASE WHEN \(keepsReady) THEN ready_at ELSE \(readyAt) END
                WHERE id = \(run)
                """, logger: logger)
            if commit.advance?.status.isTerminal == true {
                try await PostgresWorkQueue.wakeParent(of: commit.run, schema: self.s, connection, logger)
            }
            return CommitReceipt(cancelRequested: head.cancelRequested, lastSeq: lastSeq)
        }
    }

    public func stepResults(run: RunID, superstep: Int) async throws -> [StepResult] {
        let rows = try await read { connection, logger in
            let rows = try await connection.query(
                "SELECT key, result FROM \(unescaped: self.s).step_results WHERE run = \(run.rawValue) AND superstep = \(superstep) ORDER BY position",
                logger: logger
            )
            var found: [(String, String)] = []
            for try await (key, result) in rows.decode((String, String).self) { found.append((key, result)) }
            return found
        }
        return try rows.map { key, text in
            try ColumnJSON.decode(text, table: "step_results", key: "\(run.rawValue)/\(superstep)/\(key)", column: "result", RecordCoding.stepResult)
        }
    }

    public func effects(run: RunID, step: String) async throws -> [Int: JSON] {
        let rows = try await read { connection, logger in
            let rows = try await connection.query(
                "SELECT idx, value FROM \(unescaped: self.s).effects WHERE run = \(run.rawValue) AND step = \(step)", logger: logger
            )
            var found: [(Int, String)] = []
            for try await (index, value) in rows.decode((Int, String).self) { found.append((index, value)) }
            return found
        }
        var effects: [Int: JSON] = [:]
        for (index, text) in rows {
            effects[index] = try ColumnJSON.parse(text, table: "effects", key: "\(run.rawValue)/\(step)#\(index)", column: "value")
        }
        return effects
    }

    public func recordEffect(_ effect: EffectRecord) async throws {
        let value = effect.value.canonicalString
        let key = auditKey
        try await transaction { connection, logger in
            let head = try await PostgresRunHead.lock(effect.run, schema: self.s, connection, logger)
            try await connection.query("""
                INSERT INTO \(unescaped: self.s).effects (run, step, idx, name, value)
                VALUES (\(effect.run.rawValue), \(effect.step), \(effect.index), \(effect.name), \(value))
                ON CONFLICT (run, step, idx) DO UPDATE SET name = excluded.name, value = excluded.value
                """, logger: logger)
            let sealed = try await PostgresJournal.append([effect.event], run: effect.run, after: head, key: key, schema: self.s, connection, logger)
            try await PostgresJournal.advanceHead(effect.run, to: sealed, key: key, schema: self.s, connection, logger)
        }
    }
}
