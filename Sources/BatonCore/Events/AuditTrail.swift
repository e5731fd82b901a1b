/// A run's journal and the head its run record keeps, read together (one snapshot, so that a
/// run still being written never looks cut off): what `baton audit` verifies and exports.
public struct AuditTrail: Sendable, Hashable {
    public var head: ChainHead
    /// Every event of the run, in order.
    public var events: [Event]

    public init(head: ChainHead, events: [Event]) {
        self.head = head
        self.events = events
    }

    /// ``EventChain/verify(_:head:keys:)`` of the events against the head.
    public func verify(keys: [AuditKey] = []) -> EventChain.Verdict {
        EventChain.verify(events, head: head, keys: keys)
    }
}

/// The export format: JSON lines that a third party can verify without Baton (`docs/audit.md`).
///
/// The first line is `{"format":"baton.audit/1","head":{"hash":…,"mac":…,"run":…,"seq":…}}`;
/// then one line per event, in order: the canonical JSON of ``Event/json`` (`data`, `hash`,
/// `mac` when keyed, `prev_hash`, `run`, `seq`, `time`, `type`). Every line is canonical JSON.
extension AuditTrail {
    /// The value of the first line's `format`.
    public static let exportFormat = "baton.audit/1"

    /// The export's lines, without line ends: the head first, then the events.
    public var exportLines: [String] {
        let first: JSON = ["format": .string(Self.exportFormat), "head": head.json]
        return [first.canonicalString] + events.map(\.json.canonicalString)
    }

    /// Reads an export's lines back (blank lines are skipped; line numbers count them).
    ///
    /// - Throws: ``AuditExportError`` naming the first line that is not part of an export.
    public init(exportLines lines: some Sequence<some StringProtocol>) throws(AuditExportError) {
        var head: ChainHead?
        var events: [Event] = []
        for (offset, text) in lines.enumerated() where !text.allSatisfy(\.isWhitespace) {
            let line = ExportLine(number: offset + 1)
            let object = try line.object(String(text))
            guard let found = head else {
                guard object["format"]?.stringValue == Self.exportFormat else {
                    throw line.error("the first line is not a Baton audit export's head (its format is not \"\(Self.exportFormat)\")")
                }
                let fields = try line.object(object["head"], "head")
                head = ChainHead(
                    run: RunID(try line.string(fields, "run")), seq: try line.int(fields, "seq"), hash: try line.string(fields, "hash"),
                    mac: try line.optionalString(fields, "mac")
                )
                continue
            }
            guard let data = object["data"] else { throw line.error("the member 'data' is missing") }
            let run = RunID(try line.string(object, "run"))
            guard run == found.run else { throw line.error("the event belongs to run '\(run)', the export to run '\(found.run)'") }
            let time = try line.int(object, "time")
            events.append(Event(
                run: run, seq: try line.int(object, "seq"), time: Int64(time), type: EventType(rawValue: try line.string(object, "type")),
                data: data, prevHash: try line.string(object, "prev_hash"), hash: try line.string(object, "hash"),
                mac: try line.optionalString(object, "mac")
            ))
        }
        guard let head else { throw AuditExportError(line: 1, reason: "the export is empty (its first line is the run's head)") }
        self.init(head: head, events: events)
    }
}

/// A line of an export that cannot be read.
public struct AuditExportError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 1-based.
    public var line: Int
    public var reason: String

    public init(line: Int, reason: String) {
        self.line = line
        self.reason = reason
    }

    public var description: String { "line \(line) of the export: \(reason); export the run again with `baton audit export`" }
}

/// Reading the members of one export line, with errors that name it.
private struct ExportLine {
    var number: Int

    func error(_ reason: String) -> AuditExportError { AuditExportError(line: number, reason: reason) }

    func object(_ text: String) throws(AuditExportError) -> [String: JSON] {
        let value: JSON
        do {
            value = try JSON(parsing: text)
        } catch {
            throw self.error("not JSON: \(error)")
        }
        return try object(value, nil)
    }

    func object(_ value: JSON?, _ member: String?) throws(AuditExportError) -> [String: JSON] {
        guard let members = value?.objectValue else {
            throw error(member.map { "the member '\($0)' is not an object" } ?? "not a JSON object")
        }
        return members
    }

    func string(_ members: [String: JSON], _ name: String) throws(AuditExportError) -> String {
        guard let value = members[name]?.stringValue else { throw error("the member '\(name)' is missing or not a string") }
        return value
    }

    func optionalString(_ members: [String: JSON], _ name: String) throws(AuditExportError) -> String? {
        guard let value = members[name] else { return nil }
        guard let text = value.stringValue else { throw error("the member '\(name)' is not a string") }
        return text
    }

    func int(_ members: [String: JSON], _ name: String) throws(AuditExportError) -> Int {
        guard case let .int(value)? = members[name] else { throw error("the member '\(name)' is missing or not an integer") }
        return value
    }
}
