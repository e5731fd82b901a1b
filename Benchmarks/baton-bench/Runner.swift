import Foundation

/// Runs workloads and prints their lines.
enum Runner {
    /// Runs one workload in this process and prints its line (a skipped one prints none, and says
    /// why on standard error). Returns the exit status.
    static func runOne(_ workload: any Workload, options: BenchOptions) async -> Int32 {
        do {
            let directory = try ScratchDirectory(under: options.directory)
            defer { directory.remove() }
            let loadBefore = Machine.loadAverage()
            var measurement = try await workload.run(BenchContext(quick: options.quick, scale: options.scale, directory: directory))
            measurement.params += Machine.params(loadBefore: loadBefore)
            if options.scale > 1 { measurement.params.append(("scale", .int(options.scale))) }
            print(try measurement.line())
            return 0
        } catch let skipped as BenchSkipped {
            report("skipped \(skipped)")
            return 0
        } catch let failure as BenchFailure {
            report("FAILED \(failure)")
        } catch {
            report("FAILED \(workload.name): \(error)")
        }
        return 1
    }

    /// Runs every workload, each in a child process of its own, so that each line's
    /// `peak_rss_kb` (the process's high-water mark, which never goes down) is that workload's
    /// alone and no workload inherits another's heap. Goes on after a failure; returns 1 if any
    /// workload failed.
    static func runAll(options: BenchOptions) -> Int32 {
        let executable = Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])
        var failed: [String] = []
        for workload in allWorkloads {
            let child = Process()
            child.executableURL = executable
            child.arguments = ["--workload", workload.name, "--directory", options.directory, "--scale", String(options.scale)] + (options.quick ? ["--quick"] : [])
            do {
                try child.run()
                child.waitUntilExit()
                if child.terminationReason != .exit || child.terminationStatus != 0 { failed.append(workload.name) }
            } catch {
                report("cannot start \(executable.path) for \(workload.name): \(error)")
                failed.append(workload.name)
            }
        }
        if !failed.isEmpty { report("FAILED: \(failed.joined(separator: ", "))") }
        return failed.isEmpty ? 0 : 1
    }

    static func report(_ message: String) {
        FileHandle.standardError.write(Data("baton-bench: \(message)\n".utf8))
    }
}
