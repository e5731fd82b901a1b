import BatonCore

/// `ledger.append`: records its arguments as one line of a JSON-lines ledger file inside a
/// ``FileSandbox``, at most once per idempotency key.
///
/// Each line is `{"key": IDEMPOTENCY_KEY, "record": ARGUMENTS, "time": MILLISECONDS}`. A call whose
/// key is already in the ledger (a second arrival after a crash fell between the write and its
/// journal commit) writes nothing and answers `{"recorded": false, "duplicate": true}`; otherwise
/// `{"recorded": true, "line": N}`. The file is rewritten atomically (read, appended, flushed and
/// renamed), so a reader sees it whole before or after a call; ledgers are meant to stay small
/// (up to ``maxBytes``): the record of what a workflow did, for people and tests to read.
///
/// It is `side_effecting`: never retried automatically, always journaled, keyed. Its arguments
/// are whatever object the workflow records (`{"customer": "c-17", "amount": 80}`), so policies
/// can match on them.
public struct LedgerAppendTool: Tool {
    public let contract: ToolContract
    public let sandbox: FileSandbox
    /// The ledger's path, relative to the sandbox root.
    public let file: String
    public static let maxBytes = 16 << 20

    public init(_ sandbox: FileSandbox, file: String, name: String = "ledger.append", description: String? = nil, risk: ToolRisk = .medium) {
        self.sandbox = sandbox
        self.file = file
        contract = .ledger(name: name, description: description ?? "Records its arguments (an object) as one line of the ledger '\(file)', once per call.", risk: risk)
    }

    public func call(_ arguments: JSON, context: ToolContext) async throws -> JSON {
        let location = try sandbox.resolve(file)
        let parent = location.absoluteParent
        if FileSystem.kind(parent) == nil { try FileSystem.createDirectories(parent, display: location.parentRelative) }
        var bytes: [UInt8] = location.exists ? try FileSystem.contents(of: location.absolute, limit: Self.maxBytes, display: location.relative) : []
        let lines = String(decoding: bytes, as: UTF8.self).split(separator: "\n")
        let key = context.idempotencyKey
        if lines.contains(where: { (try? JSON(parsing: String($0)))?["key"]?.stringValue == key }) {
            return ["recorded": false, "duplicate": true]
        }
        let line: JSON = ["key": .string(key), "record": arguments, "time": .int(Int(EventDraft.now()))]
        if let last = bytes.last, last != UInt8(ascii: "\n") { bytes.append(UInt8(ascii: "\n")) }
        bytes.append(contentsOf: line.canonicalString.utf8)
        bytes.append(UInt8(ascii: "\n"))
        try FileSystem.writeAtomically(bytes, to: location.absolute, display: location.relative)
        return ["recorded": true, "line": .int(lines.count + 1)]
    }
}
