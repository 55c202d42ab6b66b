package io.weft.benchmarks;

import io.weft.benchmarks.InferLoad.Call;
import io.weft.benchmarks.InferenceComparison.Inputs;
import io.weft.serving.InferenceServer;
import io.weft.serving.grpc.v2.ModelInferRequest;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The service's clients, one per protocol, for one model; and the same clients for a model that is
 * not served, to time what a request costs to carry without running a model.
 */
final class InferenceClients implements AutoCloseable {

  /** A model no server here serves: its infer requests are read, then refused. */
  static final String ABSENT = "bench-absent";

  private final V2Client http;
  private final V2Client absent;
  private final GrpcBenchClient grpc;

  InferenceClients(InferenceServer server, String model) {
    this.http = new V2Client(server.uri(), model);
    this.absent = new V2Client(server.uri(), ABSENT);
    this.grpc = new GrpcBenchClient(server.grpcPort(), model);
  }

  /** A round trip per protocol that runs no model. */
  Map<String, Call> probes() {
    Map<String, Call> probes = new LinkedHashMap<>();
    probes.put("HTTP", i -> http.ready());
    probes.put("gRPC", i -> grpc.ready());
    return probes;
  }

  /**
   * Per protocol with raw tensors (binary HTTP, gRPC), the same requests on {@code inputs} as
   * {@link #calls}, for a model that is not served: each is read whole by the server, then refused
   * (404, {@code NOT_FOUND}). What they cost is what carrying such a request and an answer costs
   * through the protocol with these clients, the forward pass left out.
   */
  Map<String, Call> carriers(Inputs inputs) {
    V2Client.Binary[] binary = new V2Client.Binary[inputs.distinct()];
    ModelInferRequest[] grpcRequests = new ModelInferRequest[inputs.distinct()];
    for (int i = 0; i < inputs.distinct(); i++) {
      binary[i] = V2Client.binaryBody(inputs.features(i), inputs.batch(), inputs.width());
      grpcRequests[i] =
          grpc.request(inputs.features(i), inputs.batch(), inputs.width()).toBuilder()
              .setModelName(ABSENT)
              .build();
    }
    Map<String, Call> carriers = new LinkedHashMap<>();
    carriers.put("binary", i -> absent.inferBinaryRefused(binary[i % binary.length], 404));
    carriers.put("gRPC", i -> grpc.inferNotFound(grpcRequests[i % grpcRequests.length]));
    return carriers;
  }

  /**
   * A call per protocol on {@code inputs}, each checked first to answer the labels the direct
   * Predictor gives.
   */
  Map<String, Call> calls(Inputs inputs, DirectPredictor direct) throws Exception {
    int batch = inputs.batch();
    String[] json = new String[inputs.distinct()];
    V2Client.Binary[] binary = new V2Client.Binary[inputs.distinct()];
    ModelInferRequest[] grpcRequests = new ModelInferRequest[inputs.distinct()];
    for (int i = 0; i < inputs.distinct(); i++) {
      json[i] = V2Client.body(inputs.features(i), batch, inputs.width());
      binary[i] = V2Client.binaryBody(inputs.features(i), batch, inputs.width());
      grpcRequests[i] = grpc.request(inputs.features(i), batch, inputs.width());
    }
    long[] expected = direct.predict(inputs.features(0), batch);
    check("JSON", V2Client.labels(http.infer(json[0])), expected);
    check("binary", Arrays.stream(http.inferBinary(binary[0])).boxed().toList(), expected);
    check("gRPC", Arrays.stream(grpc.infer(grpcRequests[0])).boxed().toList(), expected);
    Map<String, Call> calls = new LinkedHashMap<>();
    calls.put("JSON", i -> http.infer(json[i % json.length]));
    calls.put("binary", i -> http.inferBinary(binary[i % binary.length]));
    calls.put("gRPC", i -> grpc.infer(grpcRequests[i % grpcRequests.length]));
    return calls;
  }

  private static void check(String protocol, List<Long> served, long[] expected) {
    if (!served.equals(Arrays.stream(expected).boxed().toList())) {
      throw new IllegalStateException(
          "The service's labels over "
              + protocol
              + " "
              + served
              + " differ from the direct Predictor's "
              + Arrays.toString(expected));
    }
  }

  @Override
  public void close() throws Exception {
    grpc.close();
    absent.close();
    http.close();
  }
}
