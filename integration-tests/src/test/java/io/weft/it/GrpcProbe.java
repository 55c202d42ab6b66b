package io.weft.it;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.weft.serving.InferenceServer;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.weft.serving.grpc.v2.ModelInferRequest;
import io.weft.serving.grpc.v2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/** A v2 gRPC client of an inference server, sending FP32 rows as raw_input_contents. */
final class GrpcProbe implements AutoCloseable {

  /** The outputs of one answer. */
  record Answer(String version, float[] logits, long[] labels) {}

  private final ManagedChannel channel;

  GrpcProbe(InferenceServer server) {
    channel =
        Grpc.newChannelBuilderForAddress(
                "127.0.0.1", server.grpcPort(), InsecureChannelCredentials.create())
            .build();
  }

  /** Model {@code model}'s answer to {@code data} of {@code shape}. */
  Answer infer(String model, long[] shape, float[] data) {
    ByteBuffer raw = ByteBuffer.allocate(data.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(data);
    ModelInferRequest.InferInputTensor.Builder input =
        ModelInferRequest.InferInputTensor.newBuilder().setName("input-0").setDatatype("FP32");
    for (long size : shape) {
      input.addShape(size);
    }
    ModelInferResponse response =
        GRPCInferenceServiceGrpc.newBlockingStub(channel)
            .withDeadlineAfter(30, TimeUnit.SECONDS)
            .modelInfer(
                ModelInferRequest.newBuilder()
                    .setModelName(model)
                    .addInputs(input)
                    .addRawInputContents(UnsafeByteOperations.unsafeWrap(raw.array()))
                    .build());
    float[] logits = null;
    long[] labels = null;
    for (int i = 0; i < response.getOutputsCount(); i++) {
      ByteBuffer bytes =
          response.getRawOutputContents(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      if (response.getOutputs(i).getName().equals("output-0")) {
        logits = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(logits);
      } else if (response.getOutputs(i).getName().equals("label")) {
        labels = new long[bytes.remaining() / Long.BYTES];
        bytes.asLongBuffer().get(labels);
      }
    }
    return new Answer(response.getModelVersion(), logits, labels);
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }
}
