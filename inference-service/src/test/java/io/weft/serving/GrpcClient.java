package io.weft.serving;

import com.google.protobuf.ByteString;
import io.grpc.ChannelCredentials;
import io.grpc.Grpc;
import io.grpc.InsecureChannelCredentials;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.weft.serving.grpc.v2.InferTensorContents;
import io.weft.serving.grpc.v2.ModelInferRequest;
import io.weft.serving.grpc.v2.ModelInferRequest.InferInputTensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * A grpc-java client of a server's v2 gRPC endpoint over a real socket, and the raw little-endian
 * tensors its calls carry.
 */
final class GrpcClient implements AutoCloseable {

  private final ManagedChannel channel;

  /** A plaintext client of {@code server}. */
  GrpcClient(InferenceServer server) {
    this(server, InsecureChannelCredentials.create());
  }

  GrpcClient(InferenceServer server, ChannelCredentials credentials) {
    channel = Grpc.newChannelBuilderForAddress("127.0.0.1", server.grpcPort(), credentials).build();
  }

  /** A stub whose calls time out after {@link ServingFixture#TIMEOUT}. */
  GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel)
        .withDeadlineAfter(ServingFixture.TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** A stub whose calls carry {@code authorization: Bearer <token>}. */
  GRPCInferenceServiceBlockingStub stub(String token) {
    Metadata headers = new Metadata();
    headers.put(
        Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
    return stub().withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
  }

  /** An infer request for {@code model} of one FP32 input {@code input-0} of {@code shape}. */
  static ModelInferRequest.Builder infer(String model, long... shape) {
    InferInputTensor.Builder input =
        InferInputTensor.newBuilder().setName("input-0").setDatatype("FP32");
    for (long size : shape) {
      input.addShape(size);
    }
    return ModelInferRequest.newBuilder().setModelName(model).addInputs(input);
  }

  /** {@code request} with {@code values} as its input's raw contents. */
  static ModelInferRequest raw(ModelInferRequest.Builder request, float... values) {
    return request.addRawInputContents(raw(values)).build();
  }

  /** {@code request} with {@code values} in its input's fp32_contents. */
  static ModelInferRequest typed(ModelInferRequest.Builder request, float... values) {
    InferTensorContents.Builder contents = InferTensorContents.newBuilder();
    for (float value : values) {
      contents.addFp32Contents(value);
    }
    request.setInputs(0, request.getInputs(0).toBuilder().setContents(contents));
    return request.build();
  }

  static ByteString raw(float... values) {
    ByteBuffer bytes = ByteBuffer.allocate(values.length * Float.BYTES);
    bytes.order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().put(values);
    return ByteString.copyFrom(bytes.array());
  }

  static float[] floats(ByteString raw) {
    float[] values = new float[raw.size() / Float.BYTES];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
    return values;
  }

  static long[] longs(ByteString raw) {
    long[] values = new long[raw.size() / Long.BYTES];
    raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(values);
    return values;
  }

  @Override
  public void close() {
    channel.shutdownNow();
    try {
      channel.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
