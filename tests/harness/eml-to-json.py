#!/usr/bin/python3
"""eml-to-json.py: one message written by build-aux/mail-sink.py, as JSON for the tests.

usage: eml-to-json.py FILE.eml

Parsed by Python's own e-mail package (policy "default": RFC 2047 words
decoded, MIME walked), a parser independent of the one that wrote the message:
{recipients, from, to, subject, message_id, date, auto_submitted, content_type,
 text, html, attachments: [{filename, content_type, disposition, size, sha256}]}.
"""

import email
import email.policy
import hashlib
import json
import sys


def main():
    with open(sys.argv[1], "rb") as source:
        message = email.message_from_binary_file(source, policy=email.policy.default)
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    attachments = []
    for part in message.iter_attachments():
        content = part.get_content()
        if isinstance(content, str):
            content = content.encode()
        attachments.append({
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "disposition": part.get_content_disposition(),
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        })
    json.dump({
        "recipients": message.get_all("X-Sink-Recipient", []),
        "from": str(message["From"]),
        "to": str(message["To"]),
        "subject": str(message["Subject"]),
        "message_id": str(message["Message-ID"]),
        "date": str(message["Date"]),
        "auto_submitted": str(message["Auto-Submitted"]),
        "content_type": message.get_content_type(),
        "text": text.get_content() if text is not None else None,
        "html": html.get_content() if html is not None else None,
        "attachments": attachments,
    }, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
