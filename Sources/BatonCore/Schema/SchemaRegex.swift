/// A compiled ECMA-262 regular expression that answers one question: does it match somewhere in
/// a string? It runs on the string's UTF-8 bytes, by code point, with no allocation for short
/// strings.
///
/// The matcher is a backtracking machine that remembers every (instruction, position) state it
/// has tried. Since only the existence of a match matters, a state that failed once fails
/// again, so each is tried at most once: matching takes time proportional to the pattern's
/// size times the string's length, never exponential time, and empty loops such as `(a*)*`
/// terminate.
struct SchemaRegex: Sendable {
    private enum Instruction: Sendable {
        case scalar(UInt32)
        case any
        /// A class: its ASCII members as a bitmap, and its index in `sets` for the others.
        case set(UInt64, UInt64, Int)
        case start
        case end
        case wordBoundary(negated: Bool)
        /// Try the first target, and the second if that fails.
        case split(Int, Int)
        case jump(Int)
        case look(Int, ahead: Bool, negated: Bool)
        case match
    }

    /// The largest program compiled; bigger ones (`a{1000}{1000}`) fall back to ICU.
    static let maximumInstructions = 20_000

    /// Instructions, and for each one its slot in the visited set: only instructions that a
    /// `split` or `jump` targets can be reached along two paths, so only they are remembered.
    private struct Program: Sendable {
        var instructions: [Instruction]
        var slots: [Int]
        var slotCount: Int
        var splitCount: Int

        init(_ instructions: [Instruction]) {
            self.instructions = instructions
            var isTarget = [Bool](repeating: false, count: instructions.count)
            var splits = 0
            for instruction in instructions {
                switch instruction {
                case let .split(first, second):
                    isTarget[first] = true
                    isTarget[second] = true
                    splits += 1
                case let .jump(target):
                    isTarget[target] = true
                default:
                    break
                }
            }
            var slots = [Int](repeating: -1, count: instructions.count)
            var count = 0
            for index in instructions.indices where isTarget[index] {
                slots[index] = count
                count += 1
            }
            self.slots = slots
            self.slotCount = count
            self.splitCount = splits
        }
    }

    private let programs: [Program]
    private let sets: [SchemaRegexSet]
    let anchoredAtStart: Bool

    enum Outcome {
        case compiled(SchemaRegex)
        case unsupported
        case invalid
    }

    /// Compiles an ECMA-262 pattern.
    static func compile(_ pattern: String) -> Outcome {
        switch SchemaRegexParser.parse(pattern) {
        case .invalid: return .invalid
        case .unsupported: return .unsupported
        case let .parsed(node):
            var compiler = Compiler()
            let main = compiler.program(for: node)
            guard compiler.size <= maximumInstructions else { return .unsupported }
            compiler.programs[0] = main
            let anchored: Bool
            switch node {
            case .start: anchored = true
            case let .sequence(nodes): if case .start? = nodes.first { anchored = true } else { anchored = false }
            default: anchored = false
            }
            return .compiled(
                SchemaRegex(programs: compiler.programs.map(Program.init), sets: compiler.sets, anchoredAtStart: anchored))
        }
    }

    /// The most memory, in bits, a match may use to remember visited states (16 MiB). The
    /// need grows with the pattern's loops and alternatives times the string's length; beyond
    /// this, ``SchemaPattern`` matches with ICU instead.
    static let visitedBudget = 1 << 27

    /// The bits of visited states a match on a string of `length` UTF-8 bytes needs.
    func visitedBits(forLength length: Int) -> Int {
        let (product, overflow) = programs[0].slotCount.multipliedReportingOverflow(by: length + 1)
        return overflow ? Int.max : product
    }

    /// True when the pattern matches a substring of `text`.
    func matches(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            search(program: 0, in: bytes)
        }
    }

    // MARK: - Matching

    /// Tries every start position (only the first, for a pattern anchored by `^`).
    private func search(program: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withScratch(for: program, length: bytes.count) { scratch in
            var start = 0
            while start <= bytes.count {
                if run(program, from: start, in: bytes, end: nil, scratch: scratch) != nil { return true }
                if anchoredAtStart { return false }
                start += 1
                while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
            }
            return false
        }
    }

    /// Working memory for runs of one program over one string: the visited bits and the stack
    /// of pending threads, in one temporary allocation (on the stack when small).
    struct Scratch {
        var visited: UnsafeMutableBufferPointer<UInt64>
        /// Pairs of (instruction, position).
        var pending: UnsafeMutableBufferPointer<UInt64>
    }

    /// Runs `body` with zeroed scratch memory for `program` over a string of `length` bytes.
    func withScratch<Result>(for program: Int, length: Int, _ body: (Scratch) -> Result) -> Result {
        let positions = length + 1
        let visitedWords = (programs[program].slotCount * positions + 63) / 64
        // Each split instruction runs at most once per position, pushing one (pc, position) pair.
        let pendingWords = 2 * (programs[program].splitCount * positions + 1)
        return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: visitedWords + pendingWords) { buffer in
            let visited = UnsafeMutableBufferPointer(rebasing: buffer[..<visitedWords])
            visited.initialize(repeating: 0)
            let pending = UnsafeMutableBufferPointer(rebasing: buffer[visitedWords...])
            return body(Scratch(visited: visited, pending: pending))
        }
    }

    /// Runs program `program` from byte `start`; with `end`, a match must finish exactly there.
    /// Returns the byte where the match it found ends, or `nil` when there is none.
    func run(_ program: Int, from start: Int, in bytes: UnsafeBufferPointer<UInt8>, end: Int?, scratch: Scratch) -> Int? {
        programs[program].instructions.withUnsafeBufferPointer { instructions in
            programs[program].slots.withUnsafeBufferPointer { slots in
                let visited = scratch.visited
                let pending = scratch.pending
                let stride = bytes.count + 1
                var depth = 0
                var pc = 0
                var position = start
                while true {
                    var alive = true
                    let slot = slots[pc]
                    if slot >= 0 {
                        let state = slot * stride + position
                        let bit: UInt64 = 1 << UInt64(state & 63)
                        if visited[state >> 6] & bit != 0 {
                            alive = false
                        } else {
                            visited[state >> 6] |= bit
                        }
                    }
                    if alive {
                        switch instructions[pc] {
                        case let .scalar(expected):
                            if position < bytes.count, bytes[position] < 0x80 || expected >= 0x80 {
                                let (scalar, length) = Self.decode(bytes, at: position)
                                if scalar == expected {
                                    position += length
                                    pc += 1
                                    continue
                                }
                            }
                        case .any:
                            if position < bytes.count {
                                let (scalar, length) = Self.decode(bytes, at: position)
                                if !SchemaRegexSet.isLineTerminator(scalar) {
                                    position += length
                                    pc += 1
                                    continue
                                }
                            }
                        case let .set(low, high, index):
                            if position < bytes.count {
                                let byte = bytes[position]
                                let member: Bool
                                var length = 1
                                if byte < 64 {
                                    member = low & (1 << UInt64(byte)) != 0
                                } else if byte < 128 {
                                    member = high & (1 << UInt64(byte - 64)) != 0
                                } else {
                                    let (scalar, size) = Self.decode(bytes, at: position)
                                    length = size
                                    member = sets[index].contains(scalar)
                                }
                                if member {
                                    position += length
                                    pc += 1
                                    continue
                                }
                            }
                        case .start:
                            if position == 0 {
                                pc += 1
                                continue
                            }
                        case .end:
                            if position == bytes.count {
                                pc += 1
                                continue
                            }
                        case let .wordBoundary(negated):
                            let before = position > 0 && SchemaRegexSet.isWordCharacter(UInt32(bytes[position - 1]))
                            let after = position < bytes.count && SchemaRegexSet.isWordCharacter(UInt32(bytes[position]))
                            if (before != after) != negated {
                                pc += 1
                                continue
                            }
                        case let .split(first, second):
                            pending[depth] = UInt64(truncatingIfNeeded: second)
                            pending[depth + 1] = UInt64(truncatingIfNeeded: position)
                            depth += 2
                            pc = first
                            continue
                        case let .jump(target):
                            pc = target
                            continue
                        case let .look(sub, ahead, negated):
                            if lookaround(sub, ahead: ahead, at: position, in: bytes) != negated {
                                pc += 1
                                continue
                            }
                        case .match:
                            if end == nil || end == position { return position }
                        }
                    }
                    // This thread failed: resume the most recent pending one.
                    guard depth > 0 else { return nil }
                    depth -= 2
                    pc = Int(truncatingIfNeeded: pending[depth])
                    position = Int(truncatingIfNeeded: pending[depth + 1])
                }
            }
        }
    }

    /// A lookahead matches from `position`; a lookbehind matches a substring ending there.
    private func lookaround(_ program: Int, ahead: Bool, at position: Int, in bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        withScratch(for: program, length: bytes.count) { scratch in
            if ahead { return run(program, from: position, in: bytes, end: nil, scratch: scratch) != nil }
            var start = position
            while start >= 0 {
                if start == bytes.count || bytes[start] & 0xC0 != 0x80 {
                    if run(program, from: start, in: bytes, end: position, scratch: scratch) != nil { return true }
                }
                start -= 1
            }
            return false
        }
    }

    /// The code point at `index` of valid UTF-8, and its length in bytes.
    @inline(__always)
    private static func decode(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (UInt32, Int) {
        let lead = UInt32(bytes[index])
        if lead < 0x80 { return (lead, 1) }
        if lead < 0xE0 { return ((lead & 0x1F) << 6 | UInt32(bytes[index + 1] & 0x3F), 2) }
        if lead < 0xF0 {
            return ((lead & 0x0F) << 12 | UInt32(bytes[index + 1] & 0x3F) << 6 | UInt32(bytes[index + 2] & 0x3F), 3)
        }
        let value = (lead & 0x07) << 18 | UInt32(bytes[index + 1] & 0x3F) << 12 | UInt32(bytes[index + 2] & 0x3F) << 6
            | UInt32(bytes[index + 3] & 0x3F)
        return (value, 4)
    }

    // MARK: - Compiling

    /// Turns a parsed pattern into instruction lists: one for the pattern, one per lookaround.
    private struct Compiler {
        var programs: [[Instruction]] = [[]]
        var sets: [SchemaRegexSet] = []
        var size = 0

        mutating func program(for node: SchemaRegexParser.Node) -> [Instruction] {
            var instructions: [Instruction] = []
            emit(node, into: &instructions)
            instructions.append(.match)
            size += instructions.count
            return instructions
        }

        private mutating func emit(_ node: SchemaRegexParser.Node, into code: inout [Instruction]) {
            guard size + code.count <= SchemaRegex.maximumInstructions else { return }
            switch node {
            case .empty:
                break
            case let .scalar(value):
                code.append(.scalar(value))
            case .any:
                code.append(.any)
            case let .set(set):
                sets.append(set)
                code.append(.set(set.asciiLow, set.asciiHigh, sets.count - 1))
            case .start:
                code.append(.start)
            case .end:
                code.append(.end)
            case let .wordBoundary(negated):
                code.append(.wordBoundary(negated: negated))
            case let .sequence(nodes):
                for node in nodes { emit(node, into: &code) }
            case let .alternation(alternatives):
                var exits: [Int] = []
                for (position, alternative) in alternatives.enumerated() {
                    if position == alternatives.count - 1 {
                        emit(alternative, into: &code)
                    } else {
                        let split = code.count
                        code.append(.split(split + 1, 0))
                        emit(alternative, into: &code)
                        exits.append(code.count)
                        code.append(.jump(0))
                        code[split] = .split(split + 1, code.count)
                    }
                }
                for exit in exits { code[exit] = .jump(code.count) }
            case let .repetition(body, minimum, maximum):
                for _ in 0..<minimum {
                    emit(body, into: &code)
                    if size + code.count > SchemaRegex.maximumInstructions { return }
                }
                if let maximum {
                    var splits: [Int] = []
                    for _ in minimum..<maximum {
                        splits.append(code.count)
                        code.append(.split(code.count + 1, 0))
                        emit(body, into: &code)
                        if size + code.count > SchemaRegex.maximumInstructions { return }
                    }
                    for split in splits { code[split] = .split(split + 1, code.count) }
                } else {
                    let loop = code.count
                    code.append(.split(loop + 1, 0))
                    emit(body, into: &code)
                    code.append(.jump(loop))
                    code[loop] = .split(loop + 1, code.count)
                }
            case let .look(body, ahead, negated):
                programs.append([])
                let index = programs.count - 1
                let sub = program(for: body)
                programs[index] = sub
                code.append(.look(index, ahead: ahead, negated: negated))
            }
        }
    }
}
