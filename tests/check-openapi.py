#!/usr/bin/env python3
"""check-openapi.py: data/openapi.json documents exactly the routes of sportello-server (TAP).

usage: check-openapi.py SPORTELLO_SERVER OPENAPI_JSON

Every "METHOD /path/{param}" printed by `sportello-server --list-routes` must
be an operation of the OpenAPI 3.1 document, and every operation of the
document must be a route (no stale documentation). Every example of a request or
response body must match its schema (with python3-jsonschema, through
check-responses.py's validators).
"""

import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlparse

METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class Tap:
    def __init__(self):
        self.results = []

    def check(self, name, problems):
        self.results.append((name, list(problems)))

    def finish(self):
        print(f"1..{len(self.results)}")
        failed = 0
        for number, (name, problems) in enumerate(self.results, 1):
            if problems:
                failed += 1
                print(f"not ok {number} - {name}")
                for problem in problems:
                    print(f"#   {problem}")
            else:
                print(f"ok {number} - {name}")
        return 1 if failed else 0


def resolve(document, node):
    """Follows a local "$ref" ("#/components/…"); None if it leads nowhere."""
    seen = 0
    while isinstance(node, dict) and "$ref" in node and seen < 20:
        ref = node["$ref"]
        if not isinstance(ref, str) or not ref.startswith("#/"):
            return None
        node = document
        for part in ref[2:].split("/"):
            part = part.replace("~1", "/").replace("~0", "~")
            if not isinstance(node, dict) or part not in node:
                return None
            node = node[part]
        seen += 1
    return node


def local_refs(node, where="#"):
    """Every local "$ref" in the document, with where it is."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str):
            yield where, ref
        for key, value in node.items():
            yield from local_refs(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from local_refs(value, f"{where}/{index}")


def example_problems(document):
    """Every example of a media type that does not match its schema; None
    without python3-jsonschema."""
    sys.dont_write_bytecode = True   # no __pycache__ in the source tree
    spec = importlib.util.spec_from_file_location("check_responses",
                                                  Path(__file__).with_name("check-responses.py"))
    try:
        check_responses = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(check_responses)
    except SystemExit:
        return None
    validators = check_responses.Document(json.loads(json.dumps(document)))
    problems = []

    def walk(node, pointer):
        if isinstance(node, dict):
            examples = [("example", node["example"])] if "example" in node and "schema" in node else []
            for name, example in (node.get("examples") or {}).items() if "schema" in node else ():
                _, example = validators.follow(example["$ref"][1:]) if "$ref" in example else (None, example)
                examples.append((name, example.get("value")))
            for name, value in examples:
                problems.extend(f"{pointer} example {name}: {error}"
                                for error in check_responses.schema_errors(validators, f"{pointer}/schema", value))
            for key, value in node.items():
                walk(value, f"{pointer}/{check_responses.escape(key)}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{pointer}/{index}")

    walk(document, "")
    return problems


def normalise(path):
    """/a/{pratica}/b -> /a/{}/b: parameter names need not match."""
    return re.sub(r"\{[^}/]+\}", "{}", path.rstrip("/") or "/")


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    server, document_path = sys.argv[1], sys.argv[2]
    tap = Tap()

    listing = subprocess.run([server, "--list-routes"], capture_output=True, text=True, timeout=30)
    routes = set()
    bad_lines = []
    for line in listing.stdout.splitlines():
        parts = line.split()
        if len(parts) != 2 or not parts[1].startswith("/"):
            bad_lines.append(f"unexpected line: {line!r}")
            continue
        routes.add((parts[0].upper(), parts[1]))
    if listing.returncode != 0:
        bad_lines.append(f"--list-routes exited with {listing.returncode}: {listing.stderr.strip()}")
    if not routes:
        bad_lines.append("--list-routes printed no route")
    tap.check("sportello-server --list-routes lists the routes", bad_lines)

    try:
        with open(document_path, encoding="utf-8") as f:
            document = json.load(f)
        load_problems = [] if isinstance(document, dict) else ["the document is not a JSON object"]
    except (OSError, ValueError) as error:
        document, load_problems = {}, [str(error)]
    tap.check("data/openapi.json is valid JSON", load_problems)

    version = document.get("openapi", "")
    tap.check("it is OpenAPI 3.1",
              [] if isinstance(version, str) and re.fullmatch(r"3\.1\.\d+", version)
              else [f'"openapi" is {version!r}, expected "3.1.x"'])

    info = document.get("info", {})
    tap.check("info has a title and a version",
              [] if isinstance(info, dict) and info.get("title") and info.get("version")
              else ["info.title and info.version are required"])

    # Paths may be relative to the path of the first server URL.
    prefix = ""
    servers = document.get("servers") or []
    if servers and isinstance(servers[0], dict):
        prefix = urlparse(servers[0].get("url", "")).path.rstrip("/")

    documented = {}
    structure = []
    paths = document.get("paths", {})
    if not isinstance(paths, dict) or not paths:
        structure.append("no paths")
        paths = {}
    for path, item in paths.items():
        if not isinstance(item, dict):
            structure.append(f"{path}: not an object")
            continue
        full = path if path.startswith("/api/") else prefix + path
        shared = [resolve(document, p) for p in item.get("parameters", [])]
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            documented[(method.upper(), normalise(full))] = path
            if not isinstance(operation, dict) or not operation.get("responses"):
                structure.append(f"{method.upper()} {path}: no responses")
                continue
            parameters = shared + [resolve(document, p) for p in operation.get("parameters", [])]
            declared = {p.get("name") for p in parameters if isinstance(p, dict) and p.get("in") == "path"}
            for name in re.findall(r"\{([^}/]+)\}", path):
                if name not in declared:
                    structure.append(f"{method.upper()} {path}: path parameter {{{name}}} not declared")
    tap.check("every operation has responses and declares its path parameters", structure)

    tap.check("every $ref points into the document",
              [f"{where}: {ref} leads nowhere" for where, ref in local_refs(document)
               if ref.startswith("#") and resolve(document, {"$ref": ref}) is None]
              + [f"{where}: {ref} is not a local reference" for where, ref in local_refs(document)
                 if not ref.startswith("#")])

    problems = example_problems(document)
    tap.check("every example matches its schema" + (" # SKIP python3-jsonschema is missing" if problems is None else ""),
              problems or [])

    route_keys = {(method, normalise(path)): path for method, path in routes}
    tap.check("every route is documented",
              [f"{method} {path} is not in data/openapi.json"
               for (method, key), path in sorted(route_keys.items()) if (method, key) not in documented])
    tap.check("every documented operation is a route (no stale documentation)",
              [f"{method} {path} is documented but sportello-server has no such route"
               for (method, key), path in sorted(documented.items()) if (method, key) not in route_keys])

    return tap.finish()


if __name__ == "__main__":
    sys.exit(main())
