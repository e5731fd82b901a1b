import BatonCore
import BatonMCP
import Foundation
import Testing

/// The reference server mcp-server-git, over stdio, on a repository each test makes with `git init`.
@Suite(.enabled(if: PythonServers.available, PythonServers.skipReason))
struct GitServerTests {
    /// A new repository in a temporary folder, with an identity to commit under.
    struct Repository {
        let path: String

        init() async throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("baton-mcp-git-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            try await git("init", "--quiet", "--initial-branch=main")
            try await git("config", "user.email", "tests@baton.invalid")
            try await git("config", "user.name", "Baton Tests")
        }

        func git(_ arguments: String...) async throws {
            let status = try await (ChildProcess("/usr/bin/env", ["git", "-C", path] + arguments)).wait()
            guard status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: "git \(arguments) failed"]) }
        }

        func write(_ name: String, _ text: String) throws {
            try text.write(toFile: path + "/" + name, atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(atPath: path) }

        var configuration: MCPServerConfiguration {
            MCPServerConfiguration(name: "git", transport: .stdio(command: PythonServers.bin("mcp-server-git"), arguments: ["--repository", path]))
        }
    }

    @Test func statusReportsAnUntrackedFile() async throws {
        let repository = try await Repository()
        defer { repository.remove() }
        try repository.write("notes.txt", "remember the milk\n")
        try await withConnection(repository.configuration) { git in
            let tools = try await git.tools()
            let status = try #require(tools.first { $0.name == "git_status" })
            #expect(status.inputSchema["required"] == ["repo_path"])
            #expect(status.annotations?.readOnlyHint == true)

            let result = try await git.call(tool: "git_status", arguments: ["repo_path": .string(repository.path)])
            #expect(result.isError == false)
            #expect(result.text.contains("Untracked files"))
            #expect(result.text.contains("notes.txt"))
        }
    }

    @Test func addCommitAndLogChangeTheRepository() async throws {
        let repository = try await Repository()
        defer { repository.remove() }
        try repository.write("plan.md", "# Plan\n")
        try await withConnection(repository.configuration) { git in
            let add = try await git.call(tool: "git_add", arguments: ["repo_path": .string(repository.path), "files": ["plan.md"]])
            #expect(add.isError == false)
            let staged = try await git.call(tool: "git_diff_staged", arguments: ["repo_path": .string(repository.path)])
            #expect(staged.text.contains("+# Plan"))

            let commit = try await git.call(tool: "git_commit", arguments: ["repo_path": .string(repository.path), "message": "Write the plan"])
            #expect(commit.isError == false)
            let log = try await git.call(tool: "git_log", arguments: ["repo_path": .string(repository.path), "max_count": 5])
            #expect(log.text.contains("Write the plan"))
            #expect(log.text.contains("Baton Tests"))

            let status = try await git.call(tool: "git_status", arguments: ["repo_path": .string(repository.path)])
            #expect(status.text.contains("nothing to commit"))
        }
    }

    @Test func aRepositoryOutsideTheAllowedOneIsRefused() async throws {
        let allowed = try await Repository()
        let other = try await Repository()
        defer {
            allowed.remove()
            other.remove()
        }
        try other.write("secret.txt", "do not look\n")
        try await withConnection(allowed.configuration) { git in
            let result = try await git.call(tool: "git_status", arguments: ["repo_path": .string(other.path)])
            #expect(result.isError)
            #expect(!result.text.contains("secret.txt"))
        }
    }
}
