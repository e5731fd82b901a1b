"""MCP servers that misbehave, in plain Python, for the BatonMCP fault tests.

    python faulty_server.py crash     answers the handshake, then exits with code 3 during a tool call
    python faulty_server.py garbage   answers the handshake, then writes text that is not JSON-RPC
    python faulty_server.py banner    writes a banner to standard output before anything else
    python faulty_server.py silent    never answers (and ignores its input closing)
    python faulty_server.py stubborn  never answers and ignores SIGTERM

Each writes "pid <n>" to standard error when it starts.
"""

import json
import os
import signal
import sys
import time

TOOL = {"name": "explode", "description": "Does something.", "inputSchema": {"type": "object"}}


def send(message):
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def answer(request, result):
    send({"jsonrpc": "2.0", "id": request["id"], "result": result})


def main(mode):
    print(f"pid {os.getpid()}", file=sys.stderr, flush=True)
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if mode in ("silent", "stubborn"):
        while True:
            time.sleep(60)
    if mode == "banner":
        print("Server ready! Listening on stdio.", flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        method = request.get("method")
        if "id" not in request:
            continue
        if method == "initialize":
            answer(request, {
                "protocolVersion": request["params"]["protocolVersion"],
                "capabilities": {"tools": {}},
                "serverInfo": {"name": f"faulty-{mode}", "version": "0.0.1"},
            })
        elif method == "tools/list":
            answer(request, {"tools": [TOOL]})
        elif method == "tools/call" and mode == "crash":
            print("about to crash: the tool hit a bug", file=sys.stderr, flush=True)
            os._exit(3)
        elif method == "tools/call" and mode == "garbage":
            print("Traceback (most recent call last): oops", flush=True)
        else:
            send({"jsonrpc": "2.0", "id": request["id"], "error": {"code": -32601, "message": f"no {method}"}})


if __name__ == "__main__":
    main(sys.argv[1])
