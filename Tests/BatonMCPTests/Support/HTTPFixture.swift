import Foundation

/// The fixture server (`Fixtures/fixture_server.py`) serving the streamable HTTP transport on a
/// port of 127.0.0.1, as a child process of the tests.
final class HTTPFixture: Sendable {
    private let process: ChildProcess
    /// The port it listens on.
    let port: Int
    /// Its MCP endpoint.
    let url: URL

    private init(process: ChildProcess, port: Int, url: URL) {
        self.process = process
        self.port = port
        self.url = url
    }

    /// Starts it (answering with JSON instead of event streams if `json`, on `port` if given) and
    /// waits until it listens.
    static func start(json: Bool = false, port: Int? = nil) async throws -> HTTPFixture {
        var arguments = [PythonServers.fixtures.appendingPathComponent("fixture_server.py").path, "http"]
        if json { arguments.append("--json") }
        if let port { arguments += ["--port", String(port)] }
        let output = Pipe()
        let process = try ChildProcess(PythonServers.python, arguments, output: output)
        let line = await firstLine(of: output.fileHandleForReading)
        guard let line, line.hasPrefix("PORT "), let port = Int(line.dropFirst(5)), let url = URL(string: "http://127.0.0.1:\(port)/mcp") else {
            await process.kill()
            throw CocoaError(.fileReadCorruptFile, userInfo: [NSLocalizedDescriptionKey: "the HTTP fixture did not start: \(line ?? "no output")"])
        }
        return HTTPFixture(process: process, port: port, url: url)
    }

    /// Stops it and waits until it exited.
    func stop() async {
        await process.kill()
    }

    /// Reads the first line of `handle` on a thread of its own (the read blocks).
    private static func firstLine(of handle: FileHandle) async -> String? {
        await withCheckedContinuation { continuation in
            Thread {
                var bytes: [UInt8] = []
                while !bytes.contains(0x0A) {
                    let chunk = handle.availableData
                    if chunk.isEmpty { break }
                    bytes += chunk
                }
                let line = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).first.map { String(decoding: $0, as: UTF8.self) }
                continuation.resume(returning: line)
            }.start()
        }
    }
}

/// Starts the HTTP fixture, runs `body` with it, and stops it however `body` ends.
func withHTTPFixture<T>(json: Bool = false, _ body: (HTTPFixture) async throws -> T) async throws -> T {
    let fixture = try await HTTPFixture.start(json: json)
    do {
        let result = try await body(fixture)
        await fixture.stop()
        return result
    } catch {
        await fixture.stop()
        throw error
    }
}
