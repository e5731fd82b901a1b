import BatonCore
import BatonTools
import Foundation
import Testing

@Suite struct FileToolsTests {
    /// A sandbox in its own directory, a directory outside it, and a tool box with the three file tools.
    struct Fixture {
        let root: TemporaryDirectory
        let outside: TemporaryDirectory
        let box: ToolBox

        init(maxBytes: Int = FileReadTool.defaultMaxBytes, maxEntries: Int = FileListTool.defaultMaxEntries) throws {
            root = try TemporaryDirectory()
            outside = try TemporaryDirectory()
            let sandbox = try FileSandbox(root: root.path)
            box = try ToolBox([FileReadTool(sandbox, maxBytes: maxBytes), FileWriteTool(sandbox), FileListTool(sandbox, maxEntries: maxEntries)])
            try outside.write("secret.txt", "outside the sandbox")
        }
    }

    @Test func writesReadsAndListsInsideTheSandbox() async throws {
        let fixture = try Fixture()
        let written = try await fixture.box.call("file.write", arguments: ["path": "./notes//todo.txt", "content": "buy milk ✓", "create_directories": true])
        #expect(written == ["path": "notes/todo.txt", "size": 12])
        let read = try await fixture.box.call("file.read", arguments: ["path": "notes/todo.txt"])
        #expect(read == ["path": "notes/todo.txt", "content": "buy milk ✓", "size": 12])

        try fixture.root.directory("notes/old")
        try fixture.root.link("notes/link", to: "todo.txt")
        let list = try await fixture.box.call("file.list", arguments: ["path": "notes"])
        #expect(list["path"] == "notes")
        #expect(list["truncated"] == false)
        #expect(list["entries"] == [
            ["name": "link", "type": "symlink"],
            ["name": "old", "type": "directory"],
            ["name": "todo.txt", "type": "file", "size": 12],
        ])
        let root = try await fixture.box.call("file.list", arguments: [:])
        #expect(root["path"] == ".")
        #expect(root["entries"] == [["name": "notes", "type": "directory"]])
    }

    @Test func absolutePathsAndParentReferencesAreRefused() async throws {
        let fixture = try Fixture()
        try fixture.root.write("a/b.txt", "inside")
        for tool in ["file.read", "file.list"] {
            let absolute = await fixture.box.failure(tool, ["path": .string(fixture.outside.at("secret.txt"))])
            #expect(absolute?.code == "absolute_path")
            #expect(absolute?.message.contains("relative to the sandbox root") == true)
            for path in ["../secret.txt", "a/../../secret.txt", "a/..", ".."] {
                #expect(await fixture.box.failure(tool, ["path": .string(path)])?.code == "parent_reference", "\(tool) \(path)")
            }
        }
        let write = await fixture.box.failure("file.write", ["path": "../escaped.txt", "content": "x"])
        #expect(write?.code == "parent_reference")
        #expect(write?.retryable == false)
        #expect(!FileManager.default.fileExists(atPath: (fixture.root.path as NSString).deletingLastPathComponent + "/escaped.txt"))
        #expect(await fixture.box.failure("file.write", ["path": "/tmp/escaped.txt", "content": "x"])?.code == "absolute_path")
    }

    @Test func aLinkToAFileOutsideIsRefused() async throws {
        let fixture = try Fixture()
        try fixture.root.link("secret-link", to: fixture.outside.at("secret.txt"))
        let read = await fixture.box.failure("file.read", ["path": "secret-link"])
        #expect(read?.code == "outside_sandbox")
        #expect(read?.message.contains("symbolic link 'secret-link'") == true)
        #expect(read?.message.contains(fixture.outside.path) == false)

        let write = await fixture.box.failure("file.write", ["path": "secret-link", "content": "overwritten"])
        #expect(write?.code == "outside_sandbox")
        #expect(try String(contentsOfFile: fixture.outside.at("secret.txt"), encoding: .utf8) == "outside the sandbox")
    }

    @Test func aLinkedDirectoryInTheMiddleOfThePathIsRefused() async throws {
        let fixture = try Fixture()
        try fixture.outside.directory("deep")
        try fixture.outside.write("deep/file.txt", "deep outside")
        try fixture.root.directory("work")
        try fixture.root.link("work/escape", to: fixture.outside.path)

        let read = await fixture.box.failure("file.read", ["path": "work/escape/secret.txt"])
        #expect(read?.code == "outside_sandbox")
        #expect(read?.message.contains("'work/escape'") == true)
        #expect(await fixture.box.failure("file.read", ["path": "work/escape/deep/file.txt"])?.code == "outside_sandbox")
        #expect(await fixture.box.failure("file.list", ["path": "work/escape"])?.code == "outside_sandbox")
        #expect(await fixture.box.failure("file.list", ["path": "work/escape/deep"])?.code == "outside_sandbox")
        // Writing a new file, or new directories, through the link is refused as well, and nothing is created outside.
        #expect(await fixture.box.failure("file.write", ["path": "work/escape/new.txt", "content": "x"])?.code == "outside_sandbox")
        let nested = await fixture.box.failure("file.write", ["path": "work/escape/x/y/new.txt", "content": "x", "create_directories": true])
        #expect(nested?.code == "outside_sandbox")
        #expect(!FileManager.default.fileExists(atPath: fixture.outside.at("new.txt")))
        #expect(!FileManager.default.fileExists(atPath: fixture.outside.at("x")))
    }

    @Test func linksThatStayInsideAreFollowed() async throws {
        let fixture = try Fixture()
        try fixture.root.write("real/data.txt", "data")
        try fixture.root.link("alias", to: "real")
        try fixture.root.link("real/data-link", to: "data.txt")
        #expect(try await fixture.box.call("file.read", arguments: ["path": "alias/data.txt"])["content"] == "data")
        #expect(try await fixture.box.call("file.read", arguments: ["path": "real/data-link"])["content"] == "data")
        // Writing through a link inside replaces its target and keeps the link.
        _ = try await fixture.box.call("file.write", arguments: ["path": "real/data-link", "content": "new data"])
        #expect(try String(contentsOfFile: fixture.root.at("real/data.txt"), encoding: .utf8) == "new data")
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: fixture.root.at("real/data-link")) == "data.txt")
    }

    @Test func aBrokenLinkIsReported() async throws {
        let fixture = try Fixture()
        try fixture.root.link("dangling", to: "nowhere.txt")
        #expect(await fixture.box.failure("file.read", ["path": "dangling"])?.code == "broken_link")
        #expect(await fixture.box.failure("file.write", ["path": "dangling", "content": "x"])?.code == "broken_link")
    }

    @Test func readRefusesLargeBinaryMissingAndNonFiles() async throws {
        let fixture = try Fixture(maxBytes: 10)
        try fixture.root.write("ten.txt", "0123456789")
        try fixture.root.write("eleven.txt", "0123456789X")
        try fixture.root.directory("folder")
        #expect(FileManager.default.createFile(atPath: fixture.root.at("binary.bin"), contents: Data([0xff, 0xfe, 0x00])))

        #expect(try await fixture.box.call("file.read", arguments: ["path": "ten.txt"])["size"] == 10)
        let large = await fixture.box.failure("file.read", ["path": "eleven.txt"])
        #expect(large?.code == "file_too_large")
        #expect(large?.message.contains("11 bytes, over the limit of 10 bytes") == true)
        #expect(await fixture.box.failure("file.read", ["path": "binary.bin"])?.code == "not_text")
        let missing = await fixture.box.failure("file.read", ["path": "missing.txt"])
        #expect(missing?.code == "not_found")
        #expect(missing?.retryable == false)
        #expect(await fixture.box.failure("file.read", ["path": "folder"])?.code == "not_a_file")
        #expect(await fixture.box.failure("file.read", ["path": "."])?.code == "not_a_file")
        #expect(mkfifo(fixture.root.at("pipe"), 0o600) == 0)
        #expect(await fixture.box.failure("file.read", ["path": "pipe"])?.code == "not_a_file")
        #expect(await fixture.box.failure("file.list", ["path": "ten.txt"])?.code == "not_a_directory")
        #expect(await fixture.box.failure("file.list", ["path": "nothing"])?.code == "not_found")
    }

    @Test func writeCreatesParentsOnlyWhenAsked() async throws {
        let fixture = try Fixture()
        let refused = await fixture.box.failure("file.write", ["path": "a/b/c.txt", "content": "x"])
        #expect(refused?.code == "missing_parent")
        #expect(refused?.message.contains("create_directories") == true)
        #expect(!FileManager.default.fileExists(atPath: fixture.root.at("a")))

        _ = try await fixture.box.call("file.write", arguments: ["path": "a/b/c.txt", "content": "x", "create_directories": true])
        #expect(try String(contentsOfFile: fixture.root.at("a/b/c.txt"), encoding: .utf8) == "x")

        try fixture.root.write("plain.txt", "not a directory")
        #expect(await fixture.box.failure("file.write", ["path": "plain.txt/child.txt", "content": "x"])?.code == "not_a_directory")
        #expect(await fixture.box.failure("file.write", ["path": "a/b", "content": "x"])?.code == "not_a_file")
    }

    @Test func writeReplacesAtomicallyAndKeepsPermissions() async throws {
        let fixture = try Fixture()
        let file = try fixture.root.write("config.txt", "old")
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)

        let first = try await fixture.box.call("file.write", arguments: ["path": "config.txt", "content": "new content"])
        let second = try await fixture.box.call("file.write", arguments: ["path": "config.txt", "content": "new content"])
        #expect(first == second)
        #expect(try String(contentsOfFile: file, encoding: .utf8) == "new content")
        let permissions = try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int
        #expect(permissions == 0o600)
        // No temporary file is left beside it.
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.root.path) == ["config.txt"])
    }

    @Test func listIsCappedAndSaysSo() async throws {
        let fixture = try Fixture(maxEntries: 2)
        for name in ["c", "a", "b"] { try fixture.root.write(name, name) }
        let list = try await fixture.box.call("file.list", arguments: [:])
        #expect(list["entries"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["a", "b"])
        #expect(list["truncated"] == true)
    }

    @Test func theSchemasRefuseMalformedArguments() async throws {
        let fixture = try Fixture()
        let cases: [(String, JSON)] = [
            ("file.read", [:]),
            ("file.read", ["path": 3]),
            ("file.read", ["path": ""]),
            ("file.read", ["path": "a", "extra": true]),
            ("file.write", ["path": "a.txt"]),
            ("file.write", ["path": "a.txt", "content": "x", "create_directories": "yes"]),
            ("file.list", ["path": false]),
        ]
        for (tool, arguments) in cases {
            let error = await fixture.box.failure(tool, arguments)
            #expect(error?.isInvalidArguments == true, "\(tool) \(arguments.canonicalString): \(String(describing: error))")
        }
        #expect(!FileManager.default.fileExists(atPath: fixture.root.at("a.txt")))
    }

    @Test func contractsDeclareTheirEffects() throws {
        let root = try TemporaryDirectory()
        let sandbox = try FileSandbox(root: root.path)
        #expect(FileReadTool(sandbox).contract.effect == .readOnly)
        #expect(FileListTool(sandbox).contract.effect == .readOnly)
        #expect(FileWriteTool(sandbox).contract.effect == .idempotent)
        #expect(FileWriteTool(sandbox).contract.retry.maxAttempts > 1)
        #expect(FileReadTool(sandbox, name: "workspace.read").contract.name == "workspace.read")
    }

    @Test func failuresDoNotPauseTheFileTools() async throws {
        let fixture = try Fixture()
        try fixture.root.write("there.txt", "here")
        for _ in 0..<8 { #expect(await fixture.box.failure("file.read", ["path": "missing.txt"])?.code == "not_found") }
        #expect(try await fixture.box.call("file.read", arguments: ["path": "there.txt"])["content"] == "here")
    }

    @Test func aSandboxNeedsAnExistingDirectory() throws {
        let root = try TemporaryDirectory()
        let file = try root.write("file.txt", "x")
        #expect(throws: FileToolError.invalidRoot(root.at("missing"), reason: "it does not exist")) { try FileSandbox(root: root.at("missing")) }
        #expect(throws: FileToolError.invalidRoot(file, reason: "it is not a directory")) { try FileSandbox(root: file) }
    }

    @Test func aToolCalledDirectlyThrowsItsOwnError() async throws {
        let root = try TemporaryDirectory()
        let tool = FileReadTool(try FileSandbox(root: root.path))
        await #expect(throws: FileToolError.parentReference("../x")) {
            try await tool.call(["path": "../x"], context: ToolContext(tool: "file.read", idempotencyKey: "k"))
        }
        await #expect(throws: FileToolError.invalidArguments("'path' must be a string")) {
            try await tool.call([:], context: ToolContext(tool: "file.read", idempotencyKey: "k"))
        }
    }
}
