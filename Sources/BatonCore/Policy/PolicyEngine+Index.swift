/// How an engine keeps its rules: each in an ``Entry``, and for each stage and kind of action the
/// rules that can apply, as ``Probe``s in evaluation order.
extension PolicyEngine {
    /// A rule in its place. A class, so that the loop over candidates copies a reference, not
    /// the rule.
    final class Entry: Sendable {
        let policy: String
        let rule: PolicyRule
        let conditions: [Expression]
        private let constrainsSubject: Bool

        init(policy: String, rule: PolicyRule) {
            self.policy = policy
            self.rule = rule
            self.conditions = rule.when
            self.constrainsSubject = rule.subject != .any
        }

        /// Whether the rule applies to `action` by `subject` (its conditions aside).
        func matches(_ subject: PolicySubject, _ action: PolicyAction) -> Bool {
            rule.action.matches(action) && (!constrainsSubject || rule.subject.matches(subject))
        }

        /// The key prefix of its rate-limit counts.
        var counterName: String { "\(policy)/\(rule.id)" }
    }

    /// What can be checked of a rule, for one kind of action, with plain bits: the fixed start
    /// of its glob (when it has one glob) and the risks and effects of the tool calls it admits.
    /// Most rules that do not apply fail here, without a reference being touched.
    struct Probe: Sendable {
        /// The rule's position in ``PolicyEngine/entries``.
        let position: Int32
        /// Up to 8 bytes every name it matches starts with, packed (see ``pack(_:)``), and their
        /// mask; both 0 when there is nothing to check.
        let start: UInt64
        let startMask: UInt64
        /// The ``ToolRisk/bit``s and ``ToolEffect/bit``s it admits; all set when it has no
        /// condition on them.
        let risks: UInt8
        let effects: UInt8

        /// The same bits of one action.
        struct Key {
            let name: UInt64
            let risk: UInt8
            let effect: UInt8

            init(_ action: PolicyAction) {
                self.name = Probe.pack(action.name.utf8).value
                if case let .toolCall(_, risk, effect) = action.operation {
                    (self.risk, self.effect) = (risk.bit, effect.bit)
                } else {
                    (self.risk, self.effect) = (.max, .max)
                }
            }
        }

        init(position: Int, globs: [Glob], action: ActionMatch) {
            self.position = Int32(position)
            (self.start, self.startMask) = globs.count == 1 ? Self.pack(globs[0].fixedStart) : (0, 0)
            (self.risks, self.effects) = action.toolBits
        }

        /// Whether the action's bits leave the rule possible.
        func admits(_ key: Key) -> Bool {
            key.name & startMask == start && risks & key.risk != 0 && effects & key.effect != 0
        }

        /// The first 8 bytes, little-endian, and a mask of the bytes present.
        static func pack(_ bytes: some Sequence<UInt8>) -> (value: UInt64, mask: UInt64) {
            var (value, mask): (UInt64, UInt64) = (0, 0)
            for (offset, byte) in bytes.prefix(8).enumerated() {
                value |= UInt64(byte) << (8 * offset)
                mask |= 0xFF << (8 * offset)
            }
            return (value, mask)
        }
    }

    /// For each stage and kind (a slot): the rules that name only plain names, by name, and the
    /// others; each list in evaluation order.
    struct Index: Sendable {
        private(set) var named = [[String: [Probe]]](repeating: [:], count: Index.slots)
        private(set) var general = [[Probe]](repeating: [], count: Index.slots)

        static let slots = PolicyStage.allCases.count * PolicyAction.Kind.allCases.count

        static func slot(_ stage: PolicyStage, _ kind: PolicyAction.Kind) -> Int {
            (stage == .before ? 0 : PolicyAction.Kind.allCases.count) + kind.number
        }

        init(_ entries: [Entry]) {
            for (position, entry) in entries.enumerated() {
                let action = entry.rule.action
                for kind in action.kinds {
                    guard let globs = action.table[kind.number] else { continue }
                    let slot = Self.slot(entry.rule.stage, kind)
                    let names = globs.compactMap(\.literal)
                    if names.count == globs.count {
                        let probe = Probe(position: position, globs: [], action: action)
                        for name in Set(names) { named[slot][name, default: []].append(probe) }
                    } else {
                        general[slot].append(Probe(position: position, globs: globs, action: action))
                    }
                }
            }
        }
    }
}
