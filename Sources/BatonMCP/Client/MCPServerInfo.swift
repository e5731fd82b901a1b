/// What a server said about itself in the initialize handshake.
public struct MCPServerInfo: Sendable, Hashable {
    /// The server's name (`serverInfo.name`).
    public var name: String
    /// The server's version (`serverInfo.version`).
    public var version: String
    /// The protocol version the server agreed to, such as `2025-11-25`.
    public var protocolVersion: String
    /// How to use the server, if it gave instructions (often meant for a model's system prompt).
    public var instructions: String?
    /// Whether the server said it announces changes to its tool list.
    public var announcesToolListChanges: Bool

    /// Creates the information.
    public init(name: String, version: String, protocolVersion: String, instructions: String? = nil, announcesToolListChanges: Bool = false) {
        self.name = name
        self.version = version
        self.protocolVersion = protocolVersion
        self.instructions = instructions
        self.announcesToolListChanges = announcesToolListChanges
    }
}
