@testable import BatonCore
import Testing

/// `EventChain.verify` names the first event that does not follow, and what is wrong with it,
/// for every way of changing a journal: edits, removals, insertions, reordering, truncation,
/// and, with an audit key, rewrites that recompute the plain hashes.
@Suite struct AuditChainTests {
    static let run: RunID = "run_audit"
    static let key = try! AuditKey(secret: "0123456789abcdef0123456789abcdef")
    static let retired = try! AuditKey(secret: "retired-key-retired-key-retired")

    static func drafts(_ count: Int, from first: Int = 0) -> [EventDraft] {
        (first..<first + count).map { EventDraft("test.event", ["n": .int($0), "text": "é \"quoted\" \n"], time: 1_700_000_000_000 + Int64($0)) }
    }

    /// A chain of `count` events, sealed with `key`, and its head.
    static func chain(_ count: Int = 5, key: AuditKey? = nil) -> AuditTrail {
        let events = EventChain.seal(drafts(count), run: run, after: 0, lastHash: EventChain.genesis, key: key)
        return AuditTrail(head: ChainHead(run: run, seq: count, hash: events.last?.hash ?? EventChain.genesis, authenticatedBy: key), events: events)
    }

    /// Event `seq`'s content replaced, and every hash from it on recomputed (and nothing else).
    static func rewritten(_ trail: AuditTrail, at seq: Int) -> AuditTrail {
        var drafts = trail.events.map { EventDraft($0.type, $0.data, time: $0.time) }
        drafts[seq - 1].data = ["n": 999]
        let prefix = Array(trail.events[..<(seq - 1)])
        var resealed = EventChain.seal(Array(drafts[(seq - 1)...]), run: run, after: seq - 1, lastHash: prefix.last?.hash ?? EventChain.genesis)
        for index in resealed.indices { resealed[index].mac = trail.events[seq - 1 + index].mac }
        let events = prefix + resealed
        return AuditTrail(head: ChainHead(run: run, seq: events.count, hash: events.last?.hash ?? "", mac: trail.head.mac), events: events)
    }

    @Test func sealingForAStoreGivesTheSameChainAndEachEventsDataAsCanonicalText() throws {
        let drafts = Self.drafts(4) + [EventDraft(.stepSucceeded, ["writes": ["b": 1, "a": [nil, 2.5]], "step": "0.0"], time: 5)]
        for key in [nil, Self.key] {
            let plain = EventChain.seal(drafts, run: Self.run, after: 7, lastHash: "f00", key: key)
            let (events, texts) = EventChain.sealForWriting(drafts, run: Self.run, after: 7, lastHash: "f00", key: key)
            #expect(events == plain)
            #expect(texts == plain.map(\.data.canonicalString))
        }
        #expect(EventChain.sealForWriting([], run: Self.run, after: 0, lastHash: EventChain.genesis, key: nil).dataTexts.isEmpty)
    }

    @Test func theDigestIsSHA256OfThePreviousHashAndTheCanonicalEvent() {
        let data: JSON = ["b": 2, "a": ["z": "é", "y": [1, 2.5, nil, true]]]
        let body: JSON = ["data": data, "run": "run_1", "seq": 3, "time": 1_700_000_000_000, "type": "step.succeeded"]
        let expected = Hash.sha256Hex(Array(EventChain.genesis.utf8) + [0x0A] + body.canonicalBytes)
        #expect(EventChain.digest(run: "run_1", seq: 3, time: 1_700_000_000_000, type: .stepSucceeded, data: data, prevHash: EventChain.genesis) == expected)
        #expect(data.canonicalString == #"{"a":{"y":[1,2.5,null,true],"z":"é"},"b":2}"#)
    }

    @Test func theMACsAreHMACSHA256OfTheDocumentedMessages() {
        // Known answers from Python: hmac.new(key, b"event\n" + hash, sha256) and b"head\n" + run + "\n" + seq + "\n" + hash.
        let hash = String(repeating: "ab", count: 32)
        #expect(Self.key.mac(event: hash) == "4df7eec0d24aeeeb4563cc31d219cbb8f6ff56cbe1a87dc0b6e00533e40747c7")
        #expect(Self.key.mac(head: "run_1", seq: 7, hash: hash) == "4d471a3c8117df492104ad25dcb74e80b10a5cfdc5f260578872d3609eef7e4f")
    }

    @Test func anAuditKeyIsLongEnoughAndNeverShown() throws {
        #expect(throws: AuditKeyError.tooShort(length: 5)) { try AuditKey(secret: "short") }
        let secret = "a-secret-that-must-not-appear-anywhere"
        let key = try AuditKey(secret: secret)
        var dumped = ""
        dump(key, to: &dumped)
        for shown in [String(describing: key), String(reflecting: key), dumped, "\(key)"] {
            #expect(!shown.contains(secret))
            #expect(!shown.contains("a-secret"))
        }
    }

    @Test func anUntouchedChainIsIntact() {
        #expect(Self.chain().verify() == .intact(events: 5, authentication: .none))
        #expect(Self.chain(0).verify() == .intact(events: 0, authentication: .none))
        #expect(Self.chain(key: Self.key).verify(keys: [Self.key]) == .intact(events: 5, authentication: .verified(from: 1, key: 0)))
        #expect(Self.chain(0, key: Self.key).verify(keys: [Self.key]) == .intact(events: 0, authentication: .verified(from: 1, key: 0)))
    }

    @Test func anEditedEventIsNamed() {
        var trail = Self.chain()
        trail.events[2].data = ["n": 99]
        #expect(trail.verify() == .broken(seq: 3, problem: .edited))
        var moved = Self.chain()
        moved.head.run = "run_other"
        #expect(moved.verify() == .broken(seq: 1, problem: .edited), "events hashed as another run's")
    }

    @Test func aRemovedEventIsNamedWhetherOrNotTheRestWasRenumbered() {
        var gap = Self.chain()
        gap.events.remove(at: 2)
        gap.head.seq = 4
        #expect(gap.verify() == .broken(seq: 3, problem: .removed(found: 4)))
        var renumbered = Self.chain()
        renumbered.events.remove(at: 2)
        for index in 2..<renumbered.events.count { renumbered.events[index].seq -= 1 }
        #expect(renumbered.verify() == .broken(seq: 3, problem: .unlinked(linksTo: nil, at: 3)))
        #expect(renumbered.verify().description.contains("the event before it was removed"))
    }

    @Test func anInsertedEventIsNamedAndWithAKeyTheForgeryItself() {
        for key in [nil, Self.key] {
            var trail = Self.chain(key: key)
            let forged = EventChain.seal([EventDraft("test.forged", ["n": -1], time: 1)], run: Self.run, after: 2, lastHash: trail.events[1].hash)
            trail.events.insert(contentsOf: forged, at: 2)
            for index in 3..<trail.events.count { trail.events[index].seq += 1 }
            trail.head.seq += 1
            if key == nil {
                #expect(trail.verify() == .broken(seq: 4, problem: .unlinked(linksTo: 2, at: 4)))
                #expect(trail.verify().description.contains("event 3 was inserted before it"))
            } else {
                #expect(trail.verify(keys: [Self.key]) == .broken(seq: 3, problem: .macMissing(keyedFrom: 1)))
                trail.events[2].mac = Self.retired.mac(event: trail.events[2].hash)
                #expect(trail.verify(keys: [Self.key]) == .broken(seq: 3, problem: .macMismatch))
            }
        }
    }

    @Test func reorderedAndDuplicatedEventsAreNamed() {
        var swapped = Self.chain()
        swapped.events.swapAt(2, 3)
        (swapped.events[2].seq, swapped.events[3].seq) = (3, 4)
        #expect(swapped.verify() == .broken(seq: 3, problem: .unlinked(linksTo: 4, at: 3)))
        #expect(swapped.verify().description.contains("reordered"))
        var unnumbered = Self.chain()
        unnumbered.events.swapAt(2, 3)
        #expect(unnumbered.verify() == .broken(seq: 3, problem: .removed(found: 4)))
        var duplicated = Self.chain()
        duplicated.events.insert(duplicated.events[1], at: 2)
        #expect(duplicated.verify() == .broken(seq: 3, problem: .outOfOrder(found: 2)))
    }

    @Test func aCutOffOrExtendedJournalIsNamedAgainstItsHead() {
        var truncated = Self.chain()
        truncated.events.removeLast(2)
        #expect(truncated.verify() == .broken(seq: 4, problem: .truncated(events: 3, recorded: 5)))
        #expect(EventChain.verify(truncated.events) == .intact(events: 3, authentication: .none), "without a head, a cut is not seen")
        var appended = Self.chain()
        appended.head.seq = 4
        #expect(appended.verify() == .broken(seq: 5, problem: .appended(recorded: 4)))
        var relinked = Self.chain()
        relinked.head.hash = relinked.events[3].hash
        #expect(relinked.verify() == .broken(seq: 5, problem: .headMismatch))
    }

    @Test func withAKeyAHeadRewrittenToMatchACutIsNamed() {
        let trail = Self.chain(key: Self.key)
        var cut = trail
        cut.events.removeLast(2)
        cut.head = ChainHead(run: Self.run, seq: 3, hash: cut.events[2].hash, mac: trail.head.mac)
        #expect(cut.verify(keys: [Self.key]) == .broken(seq: 4, problem: .headMACMismatch(events: 3)), "the old head's MAC")
        cut.head.mac = cut.events[2].mac
        #expect(cut.verify(keys: [Self.key]) == .broken(seq: 4, problem: .headMACMismatch(events: 3)), "the last event's MAC as the head's")
        cut.head.mac = nil
        #expect(cut.verify(keys: [Self.key]) == .broken(seq: 4, problem: .headMACMissing(events: 3)))
        #expect(cut.verify() == .broken(seq: 4, problem: .headMACMissing(events: 3)), "a missing MAC is seen without the key")
    }

    @Test func withAKeyARecomputedPlainChainIsNamedAtTheFirstChangedEvent() {
        let rewritten = Self.rewritten(Self.chain(key: Self.key), at: 3)
        #expect(EventChain.verify(rewritten.events) == .intact(events: 5, authentication: .unchecked(from: 1)), "the plain hashes hold")
        #expect(rewritten.verify() == .intact(events: 5, authentication: .unchecked(from: 1)), "without the key it cannot be seen")
        #expect(rewritten.verify(keys: [Self.key]) == .broken(seq: 3, problem: .macMismatch))
        var stripped = rewritten
        for index in 2..<5 { stripped.events[index].mac = nil }
        stripped.head.mac = nil
        #expect(stripped.verify(keys: [Self.key]) == .broken(seq: 3, problem: .macMissing(keyedFrom: 1)))
    }

    @Test func aRunBegunWithoutAKeyIsAuthenticatedFromItsFirstKeyedEvent() {
        let first = EventChain.seal(Self.drafts(2), run: Self.run, after: 0, lastHash: EventChain.genesis)
        let rest = EventChain.seal(Self.drafts(3, from: 2), run: Self.run, after: 2, lastHash: first[1].hash, key: Self.key)
        let mixed = AuditTrail(head: ChainHead(run: Self.run, seq: 5, hash: rest[2].hash, authenticatedBy: Self.key), events: first + rest)
        #expect(mixed.verify(keys: [Self.key]) == .intact(events: 5, authentication: .verified(from: 3, key: 0)))
        #expect(mixed.verify(keys: [Self.key]).description.contains("from event 3"))
        #expect(mixed.verify() == .intact(events: 5, authentication: .unchecked(from: 3)))
        // The unkeyed events are covered by the MACs after them.
        #expect(Self.rewritten(mixed, at: 1).verify(keys: [Self.key]) == .broken(seq: 3, problem: .macMismatch))
    }

    @Test func aRetiredKeyVerifiesOnlyWhatCameBeforeTheCurrentOne() {
        let old = EventChain.seal(Self.drafts(3), run: Self.run, after: 0, lastHash: EventChain.genesis, key: Self.retired)
        let new = EventChain.seal(Self.drafts(2, from: 3), run: Self.run, after: 3, lastHash: old[2].hash, key: Self.key)
        let rotated = AuditTrail(head: ChainHead(run: Self.run, seq: 5, hash: new[1].hash, authenticatedBy: Self.key), events: old + new)
        #expect(rotated.verify(keys: [Self.key, Self.retired]) == .intact(events: 5, authentication: .verified(from: 1, key: 0)))
        #expect(rotated.verify(keys: [Self.key]) == .broken(seq: 1, problem: .macMismatch))
        #expect(rotated.verify(keys: [Self.retired]) == .broken(seq: 4, problem: .macMismatch))

        let oldOnly = AuditTrail(head: ChainHead(run: Self.run, seq: 3, hash: old[2].hash, authenticatedBy: Self.retired), events: old)
        #expect(oldOnly.verify(keys: [Self.key, Self.retired]) == .intact(events: 3, authentication: .verified(from: 1, key: 1)))
        #expect(oldOnly.verify(keys: [Self.key, Self.retired]).description.contains("retired key 2"))

        // A retired key cannot extend a run after events of the current key.
        let back = EventChain.seal(Self.drafts(1, from: 5), run: Self.run, after: 5, lastHash: new[1].hash, key: Self.retired)
        let extended = AuditTrail(head: ChainHead(run: Self.run, seq: 6, hash: back[0].hash, authenticatedBy: Self.retired), events: old + new + back)
        #expect(extended.verify(keys: [Self.key, Self.retired]) == .broken(seq: 6, problem: .macMismatch))
    }

    @Test func verdictsSayWhatToDo() {
        var trail = Self.chain()
        trail.events[2].data = ["n": 99]
        let verdict = trail.verify()
        #expect(verdict.description.hasPrefix("broken at event 3: its content does not match its hash"))
        #expect(verdict.description.contains("compare it with a backup"))
        #expect(verdict.json["seq"] == 3)
        #expect(verdict.json["problem"] == "edited")
        #expect(Self.chain().verify().json["authentication"] == "none")
        #expect(Self.chain().verify().description.contains("not authenticated"))
        #expect(Self.chain(key: Self.key).verify().description.contains("MACs not checked"))
    }

    @Test func anExportReadsBackAsTheSameTrail() throws {
        for trail in [Self.chain(), Self.chain(key: Self.key), Self.chain(0)] {
            let lines = trail.exportLines
            #expect(lines.count == trail.events.count + 1)
            #expect(lines[0].hasPrefix(#"{"format":"baton.audit/1","head":{"#))
            #expect(try AuditTrail(exportLines: lines) == trail)
            #expect(try AuditTrail(exportLines: lines + [""]) == trail, "a blank line at the end")
        }
    }

    @Test func aMalformedExportLineIsNamed() {
        let lines = Self.chain(key: Self.key).exportLines
        func error(_ lines: [String]) -> AuditExportError? {
            do {
                _ = try AuditTrail(exportLines: lines)
                return nil
            } catch {
                return error
            }
        }
        #expect(error([])?.line == 1)
        #expect(error(Array(lines.dropFirst()))?.reason.contains("not a Baton audit export's head") == true)
        var broken = lines
        broken[2] = String(broken[2].dropLast(3))
        #expect(error(broken)?.line == 3)
        #expect(error(broken)?.reason.hasPrefix("not JSON") == true)
        broken[2] = #"{"seq": 2}"#
        #expect(error(broken)?.reason == "the member 'data' is missing")
        broken[2] = lines[2].replacingOccurrences(of: #""seq":2"#, with: #""seq":"2""#)
        #expect(error(broken)?.reason == "the member 'seq' is missing or not an integer")
        broken[2] = lines[2].replacingOccurrences(of: #""run":"run_audit""#, with: #""run":"run_other""#)
        #expect(error(broken)?.reason.contains("belongs to run 'run_other'") == true)
        #expect(error(broken)?.description.hasPrefix("line 3 of the export: ") == true)
    }
}
