import BatonMCP
import Foundation
import Testing

/// Where the real MCP servers the tests run live: the Python virtual environment that
/// `scripts/python-env.sh` prepares (`BATON_TEST_VENV`, by default `<repository>/.venv`), and the
/// fixture scripts beside the tests.
enum PythonServers {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static let venv: URL = {
        if let path = ProcessInfo.processInfo.environment["BATON_TEST_VENV"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return repository.appendingPathComponent(".venv")
    }()

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func bin(_ name: String) -> String { venv.appendingPathComponent("bin").appendingPathComponent(name).path }

    static var python: String { bin("python") }

    /// Whether the environment has every server the tests need.
    static let available: Bool = ["python", "mcp-server-time", "mcp-server-git"].allSatisfy {
        FileManager.default.isExecutableFile(atPath: bin($0))
    }

    /// Why the suites that need the servers are skipped, printed by the test runner.
    static let skipReason: Comment = """
        the Python environment with the MCP reference servers is missing at \(venv.path); \
        run scripts/python-env.sh (or set BATON_TEST_VENV to where it is) to run these tests
        """

    /// A stdio configuration that runs a fixture script with the environment's Python.
    static func fixture(_ script: String, _ arguments: String..., name: String? = nil, handshakeTimeout: Duration = .seconds(30), callTimeout: Duration = .seconds(30), restartPolicy: MCPRestartPolicy = .default) -> MCPServerConfiguration {
        MCPServerConfiguration(
            name: name ?? script,
            transport: .stdio(command: python, arguments: [fixtures.appendingPathComponent(script).path] + arguments),
            handshakeTimeout: handshakeTimeout, callTimeout: callTimeout, restartPolicy: restartPolicy)
    }
}
