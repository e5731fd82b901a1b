import BatonCore
import PostgresNIO

/// A step's commit on a run whose journal end this store knows, as one prepared statement: the
/// run row's `UPDATE`, guarded by the lease and the journal's head, with the events' `INSERT`
/// and the step results' `INSERT` or `DELETE` as parts that write only if that row matched. It
/// answers the run's cancel request, or no row when the guard failed.
///
/// Its text is the same for every commit (the events come as arrays, the optional parts are
/// switched by parameters), so each connection parses and plans it once: planning it each time
/// cost the server about 0.27 ms per step, more than running it. Its tables are unqualified:
/// the store's connections have its schema as their search path.
struct PostgresStepStatement: PostgresPreparedStatement {
    typealias Row = Bool

    static let sql = """
        WITH head AS (
            UPDATE runs SET \(PostgresCommit.assignments(from: 1))
            WHERE id = $14 AND lease_id = $15 AND last_seq = $16
            RETURNING cancel_requested
        ), appended AS (
            INSERT INTO events (run, seq, time, type, data, prev_hash, hash, mac, checkpoint)
            SELECT $14, e.seq, e.time, e.type, e.data, e.prev_hash, e.hash, nullif(e.mac, ''), nullif(e.checkpoint, '')
            FROM unnest($17::bigint[], $18::bigint[], $19::text[], $20::text[], $21::text[], $22::text[], $23::text[], $24::text[])
                AS e(seq, time, type, data, prev_hash, hash, mac, checkpoint)
            WHERE EXISTS (SELECT FROM head)
        ), kept AS (
            \(PostgresCommit.keepingResult(tables: "", run: "$14", superstep: "$25", key: "$26", result: "$27", onlyIf: "$28 AND EXISTS (SELECT FROM head)"))
        ), closed AS (
            \(PostgresCommit.closingSuperstep(tables: "", run: "$14", superstep: "$25", onlyIf: "$29 AND EXISTS (SELECT FROM head)"))
        )
        SELECT cancel_requested FROM head
        """

    let commit: PostgresCommit
    /// The commit's events, sealed after the known head.
    let sealed: [Event]
    /// Their data as canonical text, in the same order.
    let dataTexts: [String]
    /// Where the journal ended before them.
    let knownSeq: Int
    let headMAC: String?

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 29)
        let last = sealed.last
        commit.bindAssignments(lastSeq: last?.seq ?? knownSeq, lastHash: last?.hash ?? "", headMAC: headMAC, into: &bindings)
        bindings.append(commit.run.rawValue)
        bindings.append(commit.owner)
        bindings.append(Int64(knownSeq))
        // The events as columns; a missing MAC or checkpoint is '' (never a valid one), NULL in the row.
        bindings.append(sealed.map { Int64($0.seq) })
        bindings.append(sealed.map(\.time))
        bindings.append(sealed.map(\.type.rawValue))
        bindings.append(dataTexts)
        bindings.append(sealed.map(\.prevHash))
        bindings.append(sealed.map(\.hash))
        bindings.append(sealed.map { $0.mac ?? "" })
        bindings.append(sealed.indices.map { $0 == sealed.count - 1 ? commit.record ?? "" : "" })
        bindings.append(commit.superstep)
        bindings.append(commit.openResult?.key ?? "")
        bindings.append(commit.openResult?.text ?? "")
        bindings.append(commit.openResult != nil)
        bindings.append(commit.nextSuperstep != nil)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Bool {
        try row.decode(Bool.self)
    }
}
