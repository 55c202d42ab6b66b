"""Reads Prometheus' text exposition format on stdin with Prometheus' own parser (the official
Python client's prometheus_client.parser) and writes one JSON line per sample: its family's name
and type, the sample's name as exposed, its labels and its value."""
import json
import sys

from prometheus_client.parser import text_string_to_metric_families

for family in text_string_to_metric_families(sys.stdin.read()):
    for sample in family.samples:
        print(json.dumps({
            "family": family.name,
            "type": family.type,
            "name": sample.name,
            "labels": sample.labels,
            "value": sample.value,
        }))
