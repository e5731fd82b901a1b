extension EventChain {
    /// What verification found: an intact chain and how far it is authenticated, or the first
    /// event that does not follow from the ones before it (or from the run's head), and why.
    public enum Verdict: Sendable, Equatable, CustomStringConvertible {
        /// Every event follows from the one before it and the chain ends where the head says.
        case intact(events: Int, authentication: Authentication)
        /// Event `seq` is the first that cannot be trusted, for `problem`.
        case broken(seq: Int, problem: Problem)

        public var isIntact: Bool {
            if case .intact = self { return true }
            return false
        }

        public var description: String {
            switch self {
            case let .intact(count, authentication):
                return "intact: \(count) events, every hash verified; \(authentication)"
            case let .broken(seq, problem):
                return "broken at event \(seq): \(problem); \(problem.remedy)"
            }
        }

        /// The verdict as one JSON object, for `--json` output.
        public var json: JSON {
            switch self {
            case let .intact(count, authentication):
                return ["intact": true, "events": .int(count), "authentication": .string(authentication.name), "verdict": .string(description)]
            case let .broken(seq, problem):
                return ["intact": false, "seq": .int(seq), "problem": .string(problem.name), "verdict": .string(description)]
            }
        }
    }

    /// How far an intact chain is authenticated by an ``AuditKey``.
    public enum Authentication: Sendable, Equatable, CustomStringConvertible {
        /// Written without a key: the hashes show the chain is consistent, not who wrote it.
        case none
        /// Events from `from` on (and the head) carry MACs, but no key was given to check them.
        case unchecked(from: Int)
        /// The MACs of events from `from` on, and of the head, were verified; `key` is the
        /// position, in the keys given, of the newest key that verified one (0: the current key).
        /// A MAC covers its event's hash, and through it every event before, so the events before
        /// `from` (written before the key was set) have not changed since event `from` was written.
        case verified(from: Int, key: Int)

        /// `none`, `unchecked` or `verified`.
        public var name: String {
            switch self {
            case .none: return "none"
            case .unchecked: return "unchecked"
            case .verified: return "verified"
            }
        }

        public var description: String {
            switch self {
            case .none:
                return "not authenticated: written without an audit key, so someone with write access to the store could have rewritten it whole"
            case let .unchecked(from):
                return "MACs not checked: the journal is authenticated from \(from == 1 ? "its first event" : "event \(from)") but no audit key was given (set BATON_AUDIT_KEY)"
            case let .verified(from, key):
                let which = key == 0 ? "" : " with retired key \(key + 1)"
                if from == 1 { return "every MAC and the head's verified\(which)" }
                return "MACs verified\(which) from event \(from) on, and the head's (events before \(from) were written before the audit key was set; the MACs after them show they have not changed since)"
            }
        }
    }

    /// What is wrong with the first broken event, or with the chain's end.
    public enum Problem: Sendable, Equatable, CustomStringConvertible {
        /// The event's number is higher than its position: the events between were removed.
        case removed(found: Int)
        /// The event's number is lower than its position: events were duplicated or reordered.
        case outOfOrder(found: Int)
        /// `prevHash` is not the previous event's hash; `linksTo` is the position of the event
        /// whose hash it is, if any (after this one: reordered; further back: events inserted).
        case unlinked(linksTo: Int?, at: Int)
        /// The content does not hash to `hash`.
        case edited
        /// The event's MAC does not match its hash under any key given.
        case macMismatch
        /// The event has no MAC although event `keyedFrom`, before it, has one.
        case macMissing(keyedFrom: Int)
        /// The head counts `recorded` events, the journal ends after `events`.
        case truncated(events: Int, recorded: Int)
        /// The journal goes on past the `recorded` events its head counts.
        case appended(recorded: Int)
        /// The last event's hash is not the head's.
        case headMismatch
        /// The head's MAC does not match its run, count and hash under any key given.
        case headMACMismatch(events: Int)
        /// The head has no MAC although the journal's events have.
        case headMACMissing(events: Int)

        /// A short name, for `--json` output.
        public var name: String {
            switch self {
            case .removed: return "removed"
            case .outOfOrder: return "out_of_order"
            case .unlinked: return "unlinked"
            case .edited: return "edited"
            case .macMismatch: return "mac_mismatch"
            case .macMissing: return "mac_missing"
            case .truncated: return "truncated"
            case .appended: return "appended"
            case .headMismatch: return "head_mismatch"
            case .headMACMismatch: return "head_mac_mismatch"
            case .headMACMissing: return "head_mac_missing"
            }
        }

        public var description: String {
            switch self {
            case let .removed(found):
                return "the next event is number \(found): the events before it were removed"
            case let .outOfOrder(found):
                return "event number \(found) stands in its place: events were reordered or duplicated"
            case let .unlinked(linksTo?, at) where linksTo > at:
                return "its prev_hash is the hash of event \(linksTo), which comes after it: events were reordered"
            case let .unlinked(linksTo?, at):
                let inserted = linksTo + 1 == at - 1 ? "event \(at - 1) was" : "events \(linksTo + 1) to \(at - 1) were"
                return "its prev_hash is the hash of event \(linksTo): \(inserted) inserted before it"
            case .unlinked(nil, _):
                return "its prev_hash is the hash of no event of the run: the event before it was removed, replaced, or edited with its hash recomputed"
            case .edited:
                return "its content does not match its hash: the event was edited"
            case .macMismatch:
                return "its MAC does not match its hash: the event, or one before it, was rewritten by someone without the audit key, or the run was written with another key"
            case let .macMissing(keyedFrom):
                return "it has no MAC though event \(keyedFrom) before it has one: MACs were stripped, or a process without the audit key wrote to the run"
            case let .truncated(events, recorded):
                return "the journal ends after event \(events) but the run record counts \(recorded): its last events were removed"
            case let .appended(recorded):
                return "the run record counts \(recorded) events but the journal goes on: events were added behind the store's back"
            case .headMismatch:
                return "its hash is not the head hash the run record keeps: the last event, or the run record, was rewritten"
            case let .headMACMismatch(events):
                return "the journal ends after event \(events) and the run record's head does not match its MAC: the run record was rewritten (for example to hide events removed from the end), or written with another key"
            case let .headMACMissing(events):
                return "the journal ends after event \(events) and the run record's head has no MAC though the events have: the run record was rewritten, for example to hide events removed from the end"
            }
        }

        /// What to do about it.
        public var remedy: String {
            switch self {
            case .macMismatch, .headMACMismatch:
                return "if the run was written with another key, verify with that one (a retired key can follow the current one in BATON_AUDIT_KEY_FILE); otherwise treat the run from this event on as tampered with and compare it with a backup or an earlier `baton audit export`"
            case .macMissing:
                return "give every process that writes to the store the audit key; if all of them had it, treat the run from this event on as tampered with and compare it with a backup or an earlier `baton audit export`"
            default:
                return "treat the run from this event on as tampered with and compare it with a backup or an earlier `baton audit export`"
            }
        }
    }
}
