"""Renders chat templates the way Hugging Face transformers' apply_chat_template does, as the test oracle.

One process serves many renderings: each stdin line is a JSON request
{"template": str, "variables": {...}, "now": "ISO-8601"}; each stdout line is {"output": str} or
{"error": {"type": str, "message": str}}. The environment mirrors transformers' _compile_jinja_template:
ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True) with loopcontrols and the {% generation %}
tag, raise_exception, strftime_now (reading the request's fixed time) and a tojson filter that is json.dumps.
"""
import json
import sys
from datetime import datetime

import jinja2
from jinja2 import nodes
from jinja2.ext import Extension
from jinja2.sandbox import ImmutableSandboxedEnvironment


class GenerationBlock(Extension):
    """transformers' AssistantTracker: {% generation %}...{% endgeneration %} renders its body."""

    tags = {"generation"}

    def parse(self, parser):
        lineno = next(parser.stream).lineno
        body = parser.parse_statements(["name:endgeneration"], drop_needle=True)
        return nodes.CallBlock(self.call_method("_generation_support"), [], [], body).set_lineno(lineno)

    def _generation_support(self, caller):
        return caller()


def raise_exception(message):
    raise jinja2.exceptions.TemplateError(message)


def tojson(x, ensure_ascii=False, indent=None, separators=None, sort_keys=False):
    return json.dumps(x, ensure_ascii=ensure_ascii, indent=indent, separators=separators, sort_keys=sort_keys)


now = [datetime(2024, 7, 26, 10, 0, 0)]


def strftime_now(format):
    return now[0].strftime(format)


env = ImmutableSandboxedEnvironment(trim_blocks=True, lstrip_blocks=True,
                                    extensions=[GenerationBlock, jinja2.ext.loopcontrols])
env.filters["tojson"] = tojson
env.globals["raise_exception"] = raise_exception
env.globals["strftime_now"] = strftime_now
compiled = {}


def render(request):
    now[0] = datetime.fromisoformat(request["now"])
    source = request["template"]
    template = compiled.get(source)
    if template is None:
        template = env.from_string(source)
        compiled[source] = template
    return template.render(**request["variables"])


for line in sys.stdin:
    request = json.loads(line)
    try:
        reply = {"output": render(request)}
    except Exception as e:  # the oracle reports every failure; the test decides what it means
        reply = {"error": {"type": type(e).__name__, "message": str(e)}}
    sys.stdout.write(json.dumps(reply) + "\n")
    sys.stdout.flush()
