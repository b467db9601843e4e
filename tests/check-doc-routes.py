#!/usr/bin/env python3
"""check-doc-routes.py: the API paths the README files and the demo mention exist (TAP).

usage: check-doc-routes.py SPORTELLO_SERVER SOURCE_ROOT

Every "/api/v1.0/..." path written in README.md, data/demo/README.md and
build-aux/demo (its banner, its health check) must be a route of
`sportello-server --list-routes`: a person who tries one must not get 404.
"""

import re
import subprocess
import sys
from pathlib import Path

FILES = ("README.md", "data/demo/README.md", "build-aux/demo")
PATH = re.compile(r"/api/v1\.0/[A-Za-z0-9_{}./-]*[A-Za-z0-9_}]")


def route_patterns(server):
    out = subprocess.run([server, "--list-routes"], check=True, capture_output=True, text=True).stdout
    patterns = []
    for line in out.splitlines():
        _method, path = line.split(None, 1)
        regex = re.sub(r"\\\{[^}]*\\\}", "[^/]+", re.escape(path.strip()))
        patterns.append(re.compile(regex + r"\Z"))
    return patterns


def main():
    server, root = sys.argv[1], Path(sys.argv[2])
    patterns = route_patterns(server)
    print(f"1..{len(FILES)}")
    failed = 0
    for number, name in enumerate(FILES, 1):
        missing = []
        for line_number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), 1):
            for path in PATH.findall(line):
                if not any(p.match(path) for p in patterns):
                    missing.append(f"{name}:{line_number}: {path} is not a route of sportello-server")
        if missing:
            failed += 1
            print(f"not ok {number} - {name} mentions only routes that exist")
            for problem in missing:
                print(f"#   {problem}")
        else:
            print(f"ok {number} - {name} mentions only routes that exist")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
