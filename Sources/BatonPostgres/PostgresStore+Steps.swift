import BatonCore
import PostgresNIO

/// Committing steps, and what steps leave behind: results of the current superstep and
/// journaled effects.
extension PostgresStore {
    public func commit(_ commit: consuming StepCommit) async throws -> CommitReceipt {
        let commit = PostgresCommit(commit)
        if let known = knownHeads.withLock({ $0[commit.run] }), known.leaseID == commit.owner,
           let receipt = try await commitOnKnownHead(commit, known) {
            return receipt
        }
        return try await commitLocking(commit)
    }

    /// The commit in one statement, with the events sealed after `known`: one round trip and
    /// one transaction. `nil` when it does not apply (no events, signals consumed, a child run
    /// ending, a key missing) or when the row has moved on (another writer appended, the lease
    /// changed hands): then the locking path decides.
    private func commitOnKnownHead(_ commit: PostgresCommit, _ known: PostgresKnownHead) async throws -> CommitReceipt? {
        let key = auditKey
        guard !commit.drafts.isEmpty, commit.consumedSignals.isEmpty, !(commit.terminal && known.waitedOnByParent), key != nil || !known.authenticated else {
            return nil
        }
        let (sealed, dataTexts) = EventChain.sealForWriting(commit.drafts, run: commit.run, after: known.seq, lastHash: known.hash, key: key)
        guard let last = sealed.last else { return nil }
        let statement = PostgresStepStatement(
            commit: commit, sealed: sealed, dataTexts: dataTexts, knownSeq: known.seq, headMAC: key?.mac(head: commit.run, seq: last.seq, hash: last.hash)
        )
        let cancelRequested = try await read { connection, logger in
            var cancelRequested: Bool?
            for try await cancel in try await connection.execute(statement, logger: logger) { cancelRequested = cancel }
            return cancelRequested
        }
        guard let cancelRequested else {
            knownHeads.withLock { $0[commit.run] = nil }
            return nil
        }
        remember(commit, seq: last.seq, hash: last.hash, authenticated: known.authenticated || key != nil, waitedOnByParent: known.waitedOnByParent)
        oneStatementCommits.add(1, ordering: .relaxed)
        return CommitReceipt(cancelRequested: cancelRequested, lastSeq: last.seq)
    }

    /// The commit in a transaction that locks the run's row first and checks the lease on it.
    private func commitLocking(_ commit: PostgresCommit) async throws -> CommitReceipt {
        let key = auditKey
        let (receipt, head) = try await transaction { connection, logger in
            let run = commit.run.rawValue
            let head = try await PostgresRunHead.lock(commit.run, schema: self.s, connection, logger)
            guard head.leaseID == commit.owner else { throw PostgresStoreFailure(storeError: .leaseLost(commit.run)) }
            if let result = commit.openResult {
                var keep = PostgresStatement()
                keep.sql = PostgresCommit.keepingResult(
                    tables: self.s + ".", run: keep.bind(run), superstep: keep.bind(commit.superstep), key: keep.bind(result.key),
                    result: keep.bind(result.text), onlyIf: "true"
                )
                try await connection.query(keep.query, logger: logger)
            }
            let sealed = try await PostgresJournal.append(
                commit.drafts, run: commit.run, after: head, key: key, checkpoint: commit.record, schema: self.s, connection, logger
            )
            if !commit.consumedSignals.isEmpty {
                try await connection.query(
                    "DELETE FROM \(unescaped: self.s).signals WHERE run = \(run) AND id = ANY(\(commit.consumedSignals)::bigint[])", logger: logger
                )
            }
            if let next = commit.nextSuperstep, let record = commit.record {
                if sealed.isEmpty {
                    try await connection.query("""
                        INSERT INTO \(unescaped: self.s).checkpoints (run, n, superstep, time, record)
                        VALUES (\(run), \(head.checkpointCount + 1), \(next), \(commit.time), \(record))
                        """, logger: logger)
                }
                var close = PostgresStatement()
                close.sql = PostgresCommit.closingSuperstep(tables: self.s + ".", run: close.bind(run), superstep: close.bind(commit.superstep), onlyIf: "true")
                try await connection.query(close.query, logger: logger)
            }
            let lastSeq = sealed.last?.seq ?? head.lastSeq
            let lastHash = sealed.last?.hash ?? head.lastHash
            let headMAC = sealed.isEmpty ? nil : key?.mac(head: commit.run, seq: lastSeq, hash: lastHash)
            var values = PostgresBindings(capacity: PostgresCommit.assignmentCount + 1)
            commit.bindAssignments(lastSeq: lastSeq, lastHash: lastHash, headMAC: headMAC, into: &values)
            values.append(run)
            let update = "UPDATE \(self.s).runs SET \(PostgresCommit.assignments(from: 1)) WHERE id = $\(PostgresCommit.assignmentCount + 1)"
            try await connection.query(PostgresQuery(unsafeSQL: update, binds: values), logger: logger)
            if commit.terminal {
                try await PostgresWorkQueue.wakeParent(of: commit.run, schema: self.s, connection, logger)
            }
            var after = head
            after.lastSeq = lastSeq
            after.lastHash = lastHash
            after.authenticated = head.authenticated || headMAC != nil
            return (CommitReceipt(cancelRequested: head.cancelRequested, lastSeq: lastSeq), after)
        }
        remember(commit, seq: head.lastSeq, hash: head.lastHash, authenticated: head.authenticated, waitedOnByParent: head.waitedOnByParent)
        lockingCommits.add(1, ordering: .relaxed)
        return receipt
    }

    /// Keeps where the run's journal ends after `commit`, for its next commit, while the lease is held.
    private func remember(_ commit: PostgresCommit, seq: Int, hash: String, authenticated: Bool, waitedOnByParent: Bool) {
        let known = PostgresKnownHead(seq: seq, hash: hash, leaseID: commit.owner, authenticated: authenticated, waitedOnByParent: waitedOnByParent)
        remember(commit.run, commit.releases ? nil : known)
    }

    /// Keeps `head` for `run` (`nil` forgets it), within ``knownHeadsLimit`` runs.
    func remember(_ run: RunID, _ head: PostgresKnownHead?) {
        knownHeads.withLock { heads in
            if head != nil, heads.count >= Self.knownHeadsLimit, heads[run] == nil { heads.removeAll(keepingCapacity: true) }
            heads[run] = head
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
