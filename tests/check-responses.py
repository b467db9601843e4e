#!/usr/bin/env python3
"""check-responses.py: the responses a server test received match data/openapi.json.

usage: check-responses.py OPENAPI_JSON RECORD.jsonl

RECORD.jsonl is what tests/harness/sp-test-responses.c writes: one response a
line, {test, method, path, status, content_type, body_size, body | body_text}.
For each response the operation is found by matching the path against the
document's path templates, then the response object by status code (exact,
"4XX"-style range, "default"), then the media type by Content-Type; a JSON
body is validated against its schema (JSON Schema 2020-12, "$ref"s resolved
in the whole document).

A member the schema of its object does not list is a mismatch too (the
checker validates as if every object schema with "properties" had
"unevaluatedProperties": false; the document itself stays open to additions
for its clients), and so is a route, method, status or media type the
document does not have, except the answers to routes that do not exist: 404,
or 400 for a path that cannot be one (a NUL, an encoded slash), and 405 for a
known path with another method, each with a body that is a Problem.

Prints one line per mismatch (identical ones once, with their count) and
exits 1; exits 0 when every response matches. Needs python3-jsonschema.
"""

import datetime
import json
import re
import sys
from collections import OrderedDict
from urllib.parse import urlparse

try:
    import jsonschema
except ImportError:
    print("check-responses.py: python3-jsonschema is missing (run build-aux/setup)")
    sys.exit(2)

DOCUMENT_URI = "urn:sportello:openapi"
PROBLEM_SCHEMA = "/components/schemas/Problem"
# libsoup answers these paths itself, 400 with no body, before any handler of
# sportello-server sees them (its "got-headers" check): a known gap of the
# server against DESIGN.md §5 ("never an empty body"), noted, not failed.
LIBSOUP_REFUSED_PATH = re.compile(r"%(00|2f)", re.IGNORECASE)
SCHEMA_MESSAGE = re.compile(r": .* \(schema ")
INDEX = re.compile(r"\[\d+\]")
OPEN_KEYWORDS = {"additionalProperties", "unevaluatedProperties", "patternProperties"}
RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)\Z")


def forbid_undocumented(node):
    """Closes every object schema that lists its properties and says nothing
    of others (see the module's docstring)."""
    if isinstance(node, dict):
        if isinstance(node.get("properties"), dict) and not node.keys() & OPEN_KEYWORDS:
            node["unevaluatedProperties"] = False
        for value in node.values():
            forbid_undocumented(value)
    elif isinstance(node, list):
        for value in node:
            forbid_undocumented(value)


def escape(part):
    return part.replace("~", "~0").replace("/", "~1")


class Document:
    """The OpenAPI document (closed in place, see forbid_undocumented()): its
    operations, and validators rooted at it."""

    def __init__(self, document):
        self.document = document
        forbid_undocumented(self.document.get("components", {}).get("schemas", {}))
        for item in self.document.get("paths", {}).values():
            forbid_undocumented(item)
        self.format_checker = jsonschema.FormatChecker()
        # Timestamps are ISO 8601 with an offset (DESIGN.md §5), whatever
        # optional packages jsonschema finds for its own "date-time".
        self.format_checker.checks("date-time", raises=ValueError)(self.is_date_time)
        self.validators = {}
        self.valid = set()
        self.cls = jsonschema.validators.extend(jsonschema.Draft202012Validator, {"$ref": self.remembered_ref})
        prefix = ""
        servers = document.get("servers") or []
        if servers and isinstance(servers[0], dict):
            prefix = urlparse(servers[0].get("url", "")).path.rstrip("/")
        self.templates = []
        for template, item in document.get("paths", {}).items():
            full = template if template.startswith("/api/") else prefix + template
            regex = "".join("[^/]+" if re.fullmatch(r"\{[^}/]+\}", part) else re.escape(part)
                            for part in re.split(r"(\{[^}/]+\})", full))
            # Concrete segments win over templated ones (OpenAPI 3.1 "Paths").
            self.templates.append((full.count("{"), re.compile(regex + r"\Z"), template, item))
        self.templates.sort(key=lambda entry: entry[0])

    @staticmethod
    def is_date_time(value):
        if not isinstance(value, str):
            return True
        if not RFC3339.match(value):
            return False
        datetime.datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
        return True

    def remembered_ref(self, validator, ref, instance, schema):
        """"$ref", skipping a value already found valid there: the dashboard
        tests list the same pratica on thousands of pages."""
        key = (ref, json.dumps(instance, sort_keys=True))
        if key in self.valid:
            return
        errors = list(jsonschema.Draft202012Validator.VALIDATORS["$ref"](validator, ref, instance, schema))
        if not errors:
            self.valid.add(key)
        yield from errors

    def follow(self, pointer):
        """The node at @pointer, through "$ref"s: (its pointer, the node)."""
        for _ in range(20):
            node = self.document
            for part in pointer.split("/")[1:]:
                node = node[part.replace("~1", "/").replace("~0", "~")]
            ref = node.get("$ref") if isinstance(node, dict) else None
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return pointer, node
            pointer = ref[1:]
        raise ValueError(f"$ref loop at {pointer}")

    def validator(self, pointer):
        """A Draft 2020-12 validator for the schema at @pointer."""
        if pointer not in self.validators:
            schema = {"$ref": f"{DOCUMENT_URI}#{pointer}"}
            cls = self.cls
            try:
                from referencing import Registry, Resource  # jsonschema >= 4.18
                from referencing.jsonschema import DRAFT202012
                resource = Resource.from_contents(self.document, default_specification=DRAFT202012)
                registry = Registry().with_resource(DOCUMENT_URI, resource)
                validator = cls(schema, registry=registry, format_checker=self.format_checker)
            except ImportError:  # Debian 12's jsonschema 4.10
                resolver = jsonschema.RefResolver(DOCUMENT_URI, self.document,
                                                  store={DOCUMENT_URI: self.document})
                validator = cls(schema, resolver=resolver, format_checker=self.format_checker)
            self.validators[pointer] = validator
        return self.validators[pointer]

    def operation(self, method, path):
        """(template, operation pointer or None): None if only the path is known."""
        known_path = None
        for _, regex, template, item in self.templates:
            if regex.match(path):
                if method.lower() in item:
                    return template, f"/paths/{escape(template)}/{method.lower()}"
                known_path = known_path or template
        return known_path, None


def json_path(error):
    out = "$"
    for part in error.absolute_path:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def schema_errors(document, pointer, body):
    """One line per validation error of @body against the schema at @pointer."""
    errors = sorted(document.validator(pointer).iter_errors(body), key=lambda e: list(map(str, e.absolute_path)))
    out = []
    for error in errors:
        # jsonschema 4.10 counts a member that fails its own schema as
        # unevaluated: its own error says more.
        if error.validator == "unevaluatedProperties" and any(
                len(other.absolute_path) > len(error.absolute_path)
                and list(other.absolute_path)[:len(error.absolute_path)] == list(error.absolute_path)
                for other in errors):
            continue
        message = error.message if len(error.message) <= 160 else error.message[:157] + "..."
        if error.validator == "unevaluatedProperties":
            message = "undocumented member: " + message
        keyword = "/".join(map(str, error.absolute_schema_path))
        out.append(f"at {json_path(error)}: {message} (schema {keyword})")
    return out


def media_type(content, content_type):
    for key in (content_type, content_type.split("/")[0] + "/*" if content_type else None, "*/*"):
        if key is not None and key in content:
            return key
    return None


def check_body(document, pointer, response):
    """Mismatches of @response's Content-Type and body with the response object at @pointer."""
    status, content_type = response["status"], response.get("content_type")
    pointer, documented = document.follow(pointer)
    content = documented.get("content") or {}
    if response.get("body_size", 0) == 0:
        if content and status not in (204, 304) and response["method"] != "HEAD":
            return [f"empty body, documented: {', '.join(content)}"]
        return []
    if not content:
        return [f"a {content_type or 'body without Content-Type'} body, documented: no body"]
    key = media_type(content, content_type)
    if key is None:
        return [f"Content-Type {content_type} is not documented (documented: {', '.join(content)})"]
    if "body_text" in response:
        return [f"the body is not the JSON its Content-Type says: {response['body_text'][:120]!r}"]
    if "body" not in response or "schema" not in content[key]:
        return []
    return schema_errors(document, f"{pointer}/content/{escape(key)}/schema", response["body"])


def check(document, response):
    """Every mismatch of one recorded response, as (where, problem) pairs."""
    method, path, status = response["method"], response["path"], response["status"]
    if status == 400 and response.get("body_size") == 0 and LIBSOUP_REFUSED_PATH.search(path):
        return [(f"{method} {path}", "note: libsoup's own 400 with an empty body, not a problem")]
    template, operation = document.operation(method, path)
    if operation is None:
        expected = (405,) if template is not None else (400, 404)
        what = f"{method} {template}" if template is not None else "this path"
        if status not in expected:
            return [(f"{method} {path}", f"{what} is not documented, yet the server answered {status}")]
        if response.get("content_type") != "application/problem+json" or "body" not in response:
            return [(f"{method} {path}", f"{what} is not documented and the {status} is not a problem")]
        return [(f"{method} {path}", problem) for problem in schema_errors(document, PROBLEM_SCHEMA, response["body"])]

    where = f"{method} {template}"
    _, node = document.follow(operation)
    responses = node.get("responses", {})
    code = next((c for c in (str(status), f"{status // 100}XX", f"{status // 100}xx", "default") if c in responses),
                None)
    if code is None:
        return [(where, f"status {status} is not documented (documented: {', '.join(responses)})")]
    return [(where, problem) for problem in check_body(document, f"{operation}/responses/{escape(code)}", response)]


def main():
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1], encoding="utf-8") as f:
        document = Document(json.load(f))

    # The same error at the same place of the same operation (any item of
    # an array) is one mismatch, told with its first test and value.
    mismatches = OrderedDict()
    count = 0
    with open(sys.argv[2], encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            response = json.loads(line)
            count += 1
            for where, problem in check(document, response):
                key = (where, response["status"], INDEX.sub("[*]", SCHEMA_MESSAGE.sub(": (schema ", problem)))
                first = mismatches.setdefault(key, [response["test"], response["path"], problem, 0])
                first[3] += 1

    notes = 0
    for (where, status, _), (test, path, problem, times) in mismatches.items():
        again = f" ({times} times)" if times > 1 else ""
        notes += problem.startswith("note: ")
        example = f" (e.g. {path})" if not where.endswith(" " + path) else ""
        print(f"{test or '(outside a test)'}: {where} -> {status}{example}{again}: {problem}")
    failures = len(mismatches) - notes
    print(f"check-responses: {count} responses, {failures} mismatches, {notes} notes")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
