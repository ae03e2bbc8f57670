#!/usr/bin/env python3
"""Which end-to-end files passed on which homeserver, as a Markdown table,
from the JUnit XML pytest wrote (tests/run: BUILD/e2e/junit.xml).

    build/venv/bin/python tests/e2e/server_table.py [build/e2e/junit.xml]

One row per test file: passed/run on Synapse, passed/run on Dendrite (the
param ids of the fixture homeserver, servers.py), the failures by name,
and the tests that are server-only with their reason (the skip reason
conftest.py gives a server_only test). Then the wall time per server
(the sum of the test times; with pytest-xdist the run's wall clock is
shorter). Exit status 0; it reports, it does not judge.
"""

import collections
import re
import sys
import xml.etree.ElementTree as ET

SERVERS = ("synapse", "dendrite")
SKIP_PREFIX = "server-only ("


def server_of(name):
    """The homeserver param id in a test name such as test_x[dendrite-nl]."""
    m = re.search(r"\[(.*)\]$", name)
    if not m:
        return None, name
    parts = m.group(1).split("-")
    for s in SERVERS:
        if s in parts:
            rest = [p for p in parts if p != s]
            base = name[:m.start()]
            return s, base + (f"[{'-'.join(rest)}]" if rest else "")
    return None, name


def outcome(case):
    for tag in ("failure", "error"):
        if case.find(tag) is not None:
            return "failed", ""
    sk = case.find("skipped")
    if sk is not None:
        return "skipped", sk.get("message", "")
    return "passed", ""


def collect(path):
    """{file: {server: Counter}}, {file: {test: reason}}, {file: failures},
    seconds per server."""
    counts = collections.defaultdict(
        lambda: {s: collections.Counter() for s in SERVERS})
    only = collections.defaultdict(dict)
    failed = collections.defaultdict(list)
    seconds = collections.Counter()
    for case in ET.parse(path).getroot().iter("testcase"):
        module = case.get("classname", "").split(".")[-1]
        server, test = server_of(case.get("name", ""))
        if server is None:
            continue
        what, msg = outcome(case)
        seconds[server] += float(case.get("time") or 0)
        f = module + ".py"
        counts[f][server][what] += 1
        if what == "failed":
            failed[f].append(f"{case.get('name')}")
        if what == "skipped" and SKIP_PREFIX in msg:
            # "server-only (synapse): why" -> "synapse: why"
            only[f][test] = msg[msg.index(SKIP_PREFIX) + len(SKIP_PREFIX):] \
                .replace("): ", ": ", 1)
    return counts, only, failed, seconds


def cell(c):
    run = c["passed"] + c["failed"]
    if not run:
        return "–" if not c["skipped"] else "server-only"
    mark = "✓" if not c["failed"] else "✗"
    return f"{mark} {c['passed']}/{run}"


def table(path):
    counts, only, failed, seconds = collect(path)
    out = ["| file | Synapse | Dendrite | server-only (reason) |",
           "|---|---|---|---|"]
    tot = {s: collections.Counter() for s in SERVERS}
    for f in sorted(counts):
        for s in SERVERS:
            tot[s].update(counts[f][s])
        notes = [f"`{t}`: {r}" for t, r in sorted(only[f].items())]
        if failed[f]:
            notes.append("failed: " + ", ".join(f"`{n}`" for n in failed[f]))
        out.append(f"| `{f}` | {cell(counts[f]['synapse'])} | "
                   f"{cell(counts[f]['dendrite'])} | {'; '.join(notes)} |")
    out.append("")
    for s in SERVERS:
        t = tot[s]
        out.append(f"- {s.capitalize()}: {t['passed']} passed, "
                   f"{t['failed']} failed, {t['skipped']} server-only "
                   f"skipped; test time {seconds[s] / 60:.1f} min")
    return "\n".join(out)


if __name__ == "__main__":
    print(table(sys.argv[1] if len(sys.argv) > 1 else "build/e2e/junit.xml"))
