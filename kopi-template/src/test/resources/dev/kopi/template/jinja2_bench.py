"""The speed anchor for kopi's template benchmark: Jinja2 rendering in transformers' environment (hf_render.py).

Reads one JSON request per stdin line ({"name", "template", "variables", "now"}), renders each once to compile
and warm up, then times repeated renderings and prints "name median_microseconds" per request.
"""
import json
import statistics
import sys
import time

import hf_render

for line in sys.stdin:
    request = json.loads(line)
    hf_render.render(request)
    samples = []
    for _ in range(15):
        start = time.perf_counter()
        for _ in range(20):
            hf_render.render(request)
        samples.append((time.perf_counter() - start) / 20 * 1e6)
    print(request["name"], round(statistics.median(samples), 1), flush=True)
