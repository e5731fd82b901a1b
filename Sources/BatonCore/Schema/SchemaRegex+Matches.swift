extension SchemaRegex {
    /// The byte ranges of the successive matches of the pattern in the UTF-8 text `bytes`, left
    /// to right and without overlap: from each start, the match ECMA-262 would find (the first
    /// alternative and the greedy quantifier win); the next search starts where it ended. A
    /// match of no characters is skipped. Only positions whose byte `starts` admits are tried
    /// (pass the starts of the same pattern). Callers check ``visitedBits(forLength:)`` against
    /// ``visitedBudget`` first, as for ``matches(_:)``.
    ///
    /// It takes time linear in the text's length, like ``matches(_:)``: one visited set serves
    /// every start, since a state that failed from one start fails from any other. Of the states
    /// a successful search visited, only those at the match's end can be reached again from
    /// there, so only they are forgotten before the search goes on.
    func matchRanges(in bytes: UnsafeBufferPointer<UInt8>, startingWith starts: SchemaRegexStarts = .any) -> [Range<Int>] {
        withScratch(for: 0, length: bytes.count) { scratch in
            var ranges: [Range<Int>] = []
            let stride = bytes.count + 1
            let slots = visitedBits(forLength: 0)
            var start = 0
            while start < bytes.count {
                if starts.admits(bytes[start]), let end = run(0, from: start, in: bytes, end: nil, scratch: scratch), end > start {
                    ranges.append(start..<end)
                    for slot in 0..<slots {
                        let state = slot * stride + end
                        scratch.visited[state >> 6] &= ~(1 << UInt64(state & 63))
                    }
                    start = end
                } else {
                    start += 1
                    while start < bytes.count, bytes[start] & 0xC0 == 0x80 { start += 1 }
                }
                if anchoredAtStart { break }
            }
            return ranges
        }
    }
}
