"""Asks a Weft inference service for a model's answer to one row of zeros over HTTP, in the
v2 binary tensor extension: a JSON header of Inference-Header-Content-Length bytes, then the
input's raw little-endian FP32 values; the outputs come back the same way. Standard library
only.

    python3 examples/python/infer_binary.py http://localhost:8000 mnist 784

Prints the model version that answered, then the label and the logits.
"""
import json
import struct
import sys
import urllib.request

url, model, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
row = [0.0] * width
header = json.dumps({
    "inputs": [{"name": "input-0", "datatype": "FP32", "shape": [1, width],
                "parameters": {"binary_data_size": 4 * width}}],
    "parameters": {"binary_data_output": True}}).encode()
request = urllib.request.Request(
    f"{url}/v2/models/{model}/infer", header + struct.pack(f"<{width}f", *row),
    {"Inference-Header-Content-Length": str(len(header))})
with urllib.request.urlopen(request, timeout=30) as answer:
    body = answer.read()
    length = int(answer.headers["Inference-Header-Content-Length"])
described = json.loads(body[:length])
raw, offset = {}, length
for output in described["outputs"]:
    size = output["parameters"]["binary_data_size"]
    raw[output["name"]] = body[offset:offset + size]
    offset += size
logits = struct.unpack(f"<{len(raw['output-0']) // 4}f", raw["output-0"])
label, = struct.unpack("<q", raw["label"])
print(f"version {described['model_version']}")
print(f"label {label}")
print("logits " + " ".join(repr(x) for x in logits))
