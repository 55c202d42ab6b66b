package io.weft.benchmarks;

import com.google.protobuf.UnsafeByteOperations;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.netty.channel.EventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.nio.NioEventLoopGroup;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioSocketChannel;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.weft.serving.grpc.v2.ModelInferRequest;
import io.weft.serving.grpc.v2.ModelInferResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A client of the inference service's v2 gRPC endpoint for one model: one channel (HTTP/2, calls
 * multiplexed), inputs as {@code raw_input_contents}, as Triton's clients send them. Its transport
 * threads are named {@value #THREADS}N, so that their CPU counts as the clients' ({@link
 * InferenceComparison.CpuSplit}).
 */
final class GrpcBenchClient implements AutoCloseable {

  static final String THREADS = "bench-client-grpc-";

  private final EventLoopGroup loops;
  private final ManagedChannel channel;
  private final GRPCInferenceServiceBlockingStub stub;
  private final String model;

  GrpcBenchClient(int port, String model) {
    AtomicInteger count = new AtomicInteger();
    this.loops =
        new NioEventLoopGroup(
            Runtime.getRuntime().availableProcessors(),
            runnable -> {
              Thread thread = new Thread(runnable, THREADS + count.incrementAndGet());
              thread.setDaemon(true);
              return thread;
            });
    this.channel =
        NettyChannelBuilder.forAddress("127.0.0.1", port)
            .usePlaintext()
            .eventLoopGroup(loops)
            .channelType(NioSocketChannel.class)
            .build();
    this.stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
    this.model = model;
  }

  /** A request of {@code rows} rows of {@code width} FP32 features, raw and little-endian. */
  ModelInferRequest request(float[] features, int rows, int width) {
    ByteBuffer raw = ByteBuffer.allocate(rows * width * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    raw.asFloatBuffer().put(features, 0, rows * width);
    return ModelInferRequest.newBuilder()
        .setModelName(model)
        .addInputs(
            ModelInferRequest.InferInputTensor.newBuilder()
                .setName("input-0")
                .setDatatype("FP32")
                .addShape(rows)
                .addShape(width))
        .addRawInputContents(UnsafeByteOperations.unsafeWrap(raw.array()))
        .build();
  }

  /** Sends one request; the labels answered (the raw {@code label} output, INT64). */
  long[] infer(ModelInferRequest request) {
    ModelInferResponse response = stub.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request);
    for (int i = 0; i < response.getOutputsCount(); i++) {
      if (response.getOutputs(i).getName().equals("label")) {
        ByteBuffer raw =
            response.getRawOutputContents(i).asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        long[] labels = new long[raw.remaining() / Long.BYTES];
        raw.asLongBuffer().get(labels);
        return labels;
      }
    }
    throw new IllegalStateException("no 'label' output in the answer");
  }

  /**
   * Sends one request for a model that is not served, which must be refused {@code NOT_FOUND}: a
   * round trip that carries the request's bytes and runs no model.
   */
  void inferNotFound(ModelInferRequest request) {
    try {
      stub.withDeadlineAfter(30, TimeUnit.SECONDS).modelInfer(request);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        return;
      }
      throw e;
    }
    throw new IllegalStateException("model " + request.getModelName() + " answered; it is served");
  }

  /** A {@code ServerReady} call: a round trip that runs no model. */
  void ready() {
    stub.withDeadlineAfter(30, TimeUnit.SECONDS)
        .serverReady(io.weft.serving.grpc.v2.ServerReadyRequest.getDefaultInstance());
  }

  @Override
  public void close() throws InterruptedException {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    loops.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
  }
}
