"""A real MCP server, built with the official Python SDK (mcp), for the BatonMCP tests.

    python fixture_server.py stdio
    python fixture_server.py http [--json] [--port N]

In http mode it listens on port N (by default a free port) of 127.0.0.1, prints "PORT <n>" on standard output once it
accepts connections, and serves the streamable HTTP transport at /mcp: answers as event streams
(numbered, so that a client can resume them), or as plain JSON with --json.
It writes "pid <n>" to standard error when it starts.
"""

import os
import socket
import sys

import anyio
import uvicorn
from mcp.server.mcpserver import Context, MCPServer
from mcp.server.mcpserver.exceptions import ToolError
from mcp.server.streamable_http import EventMessage, EventStore

server = MCPServer("baton-fixture", version="1.0.0", instructions="A server for tests.")


@server.tool()
def echo(text: str) -> str:
    """Returns the text it is given."""
    return text


@server.tool()
def fail(reason: str) -> str:
    """Fails with the reason it is given."""
    raise ToolError(reason)


@server.tool()
async def sleep(seconds: float) -> str:
    """Sleeps, then says so; tells standard error when it is cancelled."""
    try:
        await anyio.sleep(seconds)
    except anyio.get_cancelled_exc_class():
        print("sleep cancelled", file=sys.stderr, flush=True)
        raise
    return f"slept {seconds}"


@server.tool()
async def add_tool(name: str, ctx: Context) -> str:
    """Adds a tool of that name (which echoes) and announces that the tool list changed."""
    server.add_tool(echo, name=name, description=f"Echoes, under the name {name}.")
    await ctx.session.send_tool_list_changed()
    return f"added {name}"


@server.tool()
def headers(ctx: Context) -> dict[str, str]:
    """Returns the HTTP headers of the request that called it."""
    return {key.lower(): value for key, value in (ctx.headers or {}).items()}


@server.tool()
async def interrupted(text: str, ctx: Context) -> str:
    """Closes the response's event stream before answering, so the client has to resume it."""
    await ctx.close_sse_stream()
    await anyio.sleep(0.3)
    return f"after the break: {text}"


class MemoryEventStore(EventStore):
    """Keeps every event, so that a stream cut short can be replayed from its Last-Event-ID."""

    def __init__(self):
        self.events = []

    async def store_event(self, stream_id, message):
        event_id = str(len(self.events) + 1)
        self.events.append((event_id, stream_id, message))
        return event_id

    async def replay_events_after(self, last_event_id, send_callback):
        start = next((i for i, event in enumerate(self.events) if event[0] == last_event_id), None)
        if start is None:
            return None
        stream_id = self.events[start][1]
        for event_id, stream, message in self.events[start + 1 :]:
            if stream == stream_id and message is not None:
                await send_callback(EventMessage(message, event_id))
        return stream_id


def serve_http(json_response: bool, port: int) -> None:
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", port))
    listener.listen(64)
    app = server.streamable_http_app(
        json_response=json_response,
        event_store=None if json_response else MemoryEventStore(),
        retry_interval=100,
    )
    config = uvicorn.Config(app, log_level="warning", timeout_graceful_shutdown=1)
    print(f"PORT {listener.getsockname()[1]}", flush=True)
    uvicorn.Server(config).run(sockets=[listener])


if __name__ == "__main__":
    print(f"pid {os.getpid()}", file=sys.stderr, flush=True)
    mode = sys.argv[1] if len(sys.argv) > 1 else "stdio"
    if mode == "http":
        port = int(sys.argv[sys.argv.index("--port") + 1]) if "--port" in sys.argv else 0
        serve_http("--json" in sys.argv, port)
    else:
        server.run("stdio")
