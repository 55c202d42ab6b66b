"""Asks a Weft inference service for a model's answer to one row of zeros over gRPC.

KServe's Open Inference Protocol v2, as Triton speaks it: the input as raw little-endian
bytes (raw_input_contents), the outputs read from raw_output_contents. The stubs come from
the service's own proto, generated first with grpc_tools (Debian: python3-grpcio and
python3-grpc-tools):

    python3 -m grpc_tools.protoc -I inference-service/src/main/proto \
      --python_out=. --grpc_python_out=. grpc_predict_v2.proto
    python3 examples/python/infer_grpc.py localhost:8001 mnist 784

Prints the model version that answered, then the label and the logits.
"""
import struct
import sys

import grpc
import grpc_predict_v2_pb2 as v2
import grpc_predict_v2_pb2_grpc as v2_grpc

target, model, width = sys.argv[1], sys.argv[2], int(sys.argv[3])
stub = v2_grpc.GRPCInferenceServiceStub(grpc.insecure_channel(target))
metadata = stub.ModelMetadata(v2.ModelMetadataRequest(name=model))
row = [0.0] * width
request = v2.ModelInferRequest(
    model_name=model,
    inputs=[v2.ModelInferRequest.InferInputTensor(
        name=metadata.inputs[0].name, datatype="FP32", shape=[1, width])],
    raw_input_contents=[struct.pack(f"<{width}f", *row)])
answer = stub.ModelInfer(request, timeout=30)
outputs = {o.name: raw for o, raw in zip(answer.outputs, answer.raw_output_contents)}
logits = struct.unpack(f"<{len(outputs['output-0']) // 4}f", outputs["output-0"])
label, = struct.unpack("<q", outputs["label"])
print(f"version {answer.model_version}")
print(f"label {label}")
print("logits " + " ".join(repr(x) for x in logits))
