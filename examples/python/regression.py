#!/usr/bin/env python3
"""Weft exec tasks in Python: prepare a dataset, fit a linear model, evaluate it.

Each subcommand serves one task type of examples/python-regression.yaml, run by a worker:

    weft worker --exec-dir . \
      --exec py-prepare='python3 examples/python/regression.py prepare' \
      --exec py-fit='python3 examples/python/regression.py fit' \
      --exec py-evaluate='python3 examples/python/regression.py evaluate'

The attempt's input is a JSON document on stdin: params, upstream outputs, and in "files" a
local path for every artifact param. Files left in $WEFT_ARTIFACTS_DIR become artifact
outputs; the last stdout line, {"outputs": {...}, "metrics": {...}}, gives the JSON outputs.
Lines {"progress": {...}} report progress. Exit code 65 (EX_DATAERR) fails the task without
retry. Uses numpy where it is installed, plain Python otherwise.
"""
import csv
import json
import os
import random
import sys

try:
    import numpy as np
except ImportError:  # the standard library is enough, only slower
    np = None

EX_DATAERR = 65


def fail(message):
    print(message, file=sys.stderr)
    sys.exit(EX_DATAERR)


def param(inp, name, kind, minimum=None):
    value = inp["params"].get(name)
    if not isinstance(value, kind) or isinstance(value, bool):
        fail(f"param '{name}' must be a {kind.__name__}, got {value!r}")
    if minimum is not None and value < minimum:
        fail(f"param '{name}' must be at least {minimum}, got {value}")
    return value


def artifact(name):
    return os.path.join(os.environ["WEFT_ARTIFACTS_DIR"], name)


def read_rows(path):
    with open(path, newline="") as f:
        return [[float(v) for v in row] for row in csv.reader(f)]


def prepare(inp):
    rows = param(inp, "rows", int, 1)
    features = param(inp, "features", int, 1)
    noise = param(inp, "noise", (int, float), 0)
    rng = random.Random(param(inp, "seed", int))
    weights = [rng.uniform(-3, 3) for _ in range(features)]
    bias = rng.uniform(-1, 1)
    with open(artifact("data.csv"), "w", newline="") as f:
        out = csv.writer(f)
        for _ in range(rows):
            x = [rng.gauss(0, 1) for _ in range(features)]
            y = sum(w * v for w, v in zip(weights, x)) + bias + rng.gauss(0, noise)
            out.writerow(x + [y])
    return {"outputs": {"rows": rows, "features": features}}


def predict(weights, bias, x):
    if np is not None:
        return x @ weights + bias
    return [sum(w * v for w, v in zip(weights, row)) + bias for row in x]


def mse(pred, y):
    return sum((p - t) ** 2 for p, t in zip(pred, y)) / len(y)


def fit(inp):
    data = read_rows(inp["files"]["data"])
    epochs = param(inp, "epochs", int, 1)
    rate = param(inp, "learningRate", (int, float), 0)
    x = [row[:-1] for row in data]
    y = [row[-1] for row in data]
    features = len(x[0])
    weights, bias = [0.0] * features, 0.0
    if np is not None:
        x, y, weights = np.array(x), np.array(y), np.zeros(features)
    for epoch in range(1, epochs + 1):
        pred = predict(weights, bias, x)
        err = [p - t for p, t in zip(pred, y)]
        grads = [2 * sum(e * row[j] for e, row in zip(err, x)) / len(y) for j in range(features)]
        weights = [w - rate * g for w, g in zip(weights, grads)]
        if np is not None:
            weights = np.array(weights)
        bias -= rate * 2 * sum(err) / len(y)
        loss = float(mse(predict(weights, bias, x), y))
        print(json.dumps({"progress": {"step": epoch, "total": epochs,
                                       "metrics": {"loss": loss}}}), flush=True)
    model = {"weights": [float(w) for w in weights], "bias": float(bias)}
    with open(artifact("model.json"), "w") as f:
        json.dump(model, f)
    return {"outputs": {"weights": model["weights"], "bias": model["bias"]},
            "metrics": {"loss": loss}}


def evaluate(inp):
    with open(inp["files"]["model"]) as f:
        model = json.load(f)
    data = read_rows(inp["files"]["data"])
    x = [row[:-1] for row in data]
    y = [row[-1] for row in data]
    if np is not None:
        x, weights = np.array(x), np.array(model["weights"])
    else:
        weights = model["weights"]
    pred = predict(weights, model["bias"], x)
    mean = sum(y) / len(y)
    error = mse(pred, y)
    r2 = 1 - error * len(y) / sum((t - mean) ** 2 for t in y)
    return {"outputs": {"r2": float(r2), "mse": float(error)},
            "metrics": {"r2": float(r2), "mse": float(error)}}


def main():
    steps = {"prepare": prepare, "fit": fit, "evaluate": evaluate}
    if len(sys.argv) != 2 or sys.argv[1] not in steps:
        print(f"usage: {sys.argv[0]} {'|'.join(steps)}", file=sys.stderr)
        sys.exit(2)
    inp = json.load(sys.stdin)
    print(f"{sys.argv[1]}: run {inp['runId']} task {inp['taskId']} attempt {inp['attempt']}"
          f" ({'numpy ' + np.__version__ if np is not None else 'no numpy'})", file=sys.stderr)
    print(json.dumps(steps[sys.argv[1]](inp)))


if __name__ == "__main__":
    main()
