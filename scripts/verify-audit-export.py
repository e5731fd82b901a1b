#!/usr/bin/env python3
"""Verifies a Baton audit export (docs/audit.md) with the standard library only:
    python3 verify-audit-export.py RUN.jsonl
With BATON_AUDIT_KEY set, checks the MACs too. Exit status 0 intact, 1 broken, 2 unreadable."""
import hashlib, hmac, json, os, sys

class Number(str):
    """A number exactly as exported, so that it is hashed as written."""

def canonical(value):  # sorted keys, no white space, strings escaped as JSON requires
    if isinstance(value, dict):
        return "{" + ",".join(canonical(k) + ":" + canonical(value[k]) for k in sorted(value)) + "}"
    if isinstance(value, list):
        return "[" + ",".join(map(canonical, value)) + "]"
    return value if isinstance(value, Number) else json.dumps(value, ensure_ascii=False)

def verify(head, events, key):
    """Returns (None, how far it is authenticated), or (the first broken event's number, what is wrong)."""
    mac = lambda text: hmac.new(key, text.encode(), hashlib.sha256).hexdigest()
    prev, keyed = "0" * 64, False
    for seq, e in enumerate(events, start=1):
        body = canonical({"data": e["data"], "run": e["run"], "seq": e["seq"], "time": e["time"], "type": e["type"]})
        if e["seq"] != str(seq) or e["run"] != head["run"]: return seq, f"found event {e['seq']} of run {e['run']}"
        if e["prev_hash"] != prev: return seq, "its prev_hash is not the previous event's hash"
        if hashlib.sha256((prev + "\n" + body).encode()).hexdigest() != e["hash"]: return seq, "its content does not match its hash"
        keyed = keyed or "mac" in e
        if keyed and "mac" not in e: return seq, "it has no MAC, though an event before it has"
        if key and keyed and not hmac.compare_digest(mac("event\n" + e["hash"]), e["mac"]): return seq, "its MAC does not match"
        prev = e["hash"]
    n = len(events)
    if head["seq"] != str(n) or head["hash"] != prev: return n + 1, f"the head counts {head['seq']} events, the export has {n}"
    if keyed and "mac" not in head: return n + 1, "the head has no MAC, though the events have"
    if key and "mac" in head and not hmac.compare_digest(mac(f"head\n{head['run']}\n{n}\n{prev}"), head["mac"]): return n + 1, "the head's MAC does not match"
    return None, "MACs verified" if key and "mac" in head else "MACs not checked (no BATON_AUDIT_KEY)" if "mac" in head else "no MACs"

if __name__ == "__main__":
    number = 0
    try:
        with open(sys.argv[1], encoding="utf-8") as export:
            lines = [(number, json.loads(text, parse_int=Number, parse_float=Number)) for number, text in enumerate(export, 1) if text.strip()]
        number, first = lines[0]
        if first.get("format") != "baton.audit/1": raise ValueError("not a Baton audit export")
        seq, what = verify(first["head"], [event for number, event in lines[1:]], os.environb.get(b"BATON_AUDIT_KEY"))
    except (OSError, ValueError, LookupError, TypeError, AttributeError) as error:
        sys.exit(f"unreadable export (line {number}): {error!r}")
    print(f"broken at event {seq}: {what}" if seq else f"intact: {len(lines) - 1} events, {what}")
    sys.exit(1 if seq else 0)
