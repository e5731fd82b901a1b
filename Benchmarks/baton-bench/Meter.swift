import BatonCore
import Foundation

/// Times a loop: wall time on the monotonic clock, CPU time (user + system, all threads) from
/// `getrusage`, read just before and just after the loop and nowhere else.
enum Meter {
    static func measure(ops: Int, unit: String, _ body: () async throws -> Void) async throws -> Figure {
        let clock = ContinuousClock()
        let cpuBefore = cpuSeconds()
        let start = clock.now
        try await body()
        let elapsed = clock.now - start
        let cpu = cpuSeconds() - cpuBefore
        return Figure(ops: ops, unit: unit, seconds: elapsed.seconds, cpuSeconds: cpu)
    }

    /// User plus system CPU time of the whole process so far.
    static func cpuSeconds() -> Double { cpuSeconds(of: resourceUsage()) }

    /// User plus system CPU time of the child processes that have ended and been waited for
    /// (w5's worker processes).
    static func childrenCPUSeconds() -> Double { cpuSeconds(of: resourceUsage(children: true)) }

    private static func cpuSeconds(of usage: rusage) -> Double {
        func seconds(_ time: timeval) -> Double { Double(time.tv_sec) + Double(time.tv_usec) / 1e6 }
        return seconds(usage.ru_utime) + seconds(usage.ru_stime)
    }

    /// The process's resident set size now, in KiB (`/proc/self/statm` on Linux; elsewhere the
    /// peak, which is all `getrusage` tells).
    static func residentKilobytes() -> Int {
        #if os(Linux)
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return peakRSSKilobytes() }
        let fields = text.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return peakRSSKilobytes() }
        return pages * Int(sysconf(Int32(_SC_PAGESIZE))) / 1024
        #else
        return peakRSSKilobytes()
        #endif
    }

    /// The process's peak resident set size (`ru_maxrss`), in KiB.
    static func peakRSSKilobytes() -> Int {
        #if canImport(Darwin)
        return Int(resourceUsage().ru_maxrss) / 1024  // bytes on Darwin
        #else
        return Int(resourceUsage().ru_maxrss)  // KiB on Linux
        #endif
    }

    private static func resourceUsage(children: Bool = false) -> rusage {
        var usage = rusage()
        #if os(Linux)
        getrusage(__rusage_who_t(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue), &usage)
        #else
        getrusage(children ? RUSAGE_CHILDREN : RUSAGE_SELF, &usage)
        #endif
        return usage
    }
}
