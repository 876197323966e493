"""cfn-lint as a small HTTP server on 127.0.0.1, for the jest harness.

Importing cfn-lint and loading its rules takes longer than linting a typical template, and the
harness lints the templates of every test file once that file is done. The jest global setup
starts one server per jest worker (`cfn_lint_server.py PORT`); each test file POSTs
`{"files": [...]}` to its worker's server and gets back exactly what
`cfn-lint --format json -- FILES...` prints.
"""
import json
import sys
from http.server import BaseHTTPRequestHandler, HTTPServer

from cfnlint.config import ConfigMixIn
from cfnlint.formatters import JsonFormatter
from cfnlint.runner import Runner


class CachedRulesRunner(Runner):
    """A Runner that loads cfn-lint's rules once per server, not once per request."""

    rules_cache = None

    def _get_rules(self):
        if CachedRulesRunner.rules_cache is None:
            super()._get_rules()
            CachedRulesRunner.rules_cache = self.rules
        self.rules = CachedRulesRunner.rules_cache


def lint(files):
    config = ConfigMixIn(["--format", "json", "--", *files])
    matches = list(CachedRulesRunner(config).run())
    matches.sort(key=lambda m: (m.filename, m.linenumber, m.rule.id))  # as the CLI prints them
    return JsonFormatter().print_matches(matches, None, config) + "\n"


class Handler(BaseHTTPRequestHandler):
    def do_GET(self):  # readiness probe
        self.reply(200, "ok")

    def do_POST(self):
        try:
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            self.reply(200, lint(body["files"]))
        except Exception as e:  # a lint that cannot run is an answer too: the harness fails on it
            self.reply(500, f"{type(e).__name__}: {e}")

    def reply(self, status, text):
        data = text.encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


if __name__ == "__main__":
    HTTPServer(("127.0.0.1", int(sys.argv[1])), Handler).serve_forever()
