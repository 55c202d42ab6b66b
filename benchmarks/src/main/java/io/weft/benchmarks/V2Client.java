package io.weft.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.hc.client5.http.classic.methods.HttpGet;
import org.apache.hc.client5.http.classic.methods.HttpPost;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.http.io.entity.EntityUtils;
import org.apache.hc.core5.http.io.entity.StringEntity;

/**
 * A client of the inference service's v2 infer endpoint for one model, over HTTP/1.1: Apache
 * HttpClient's classic (blocking) client, a kept-alive connection per calling thread.
 */
final class V2Client implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final CloseableHttpClient http =
      HttpClients.custom()
          .setConnectionManager(
              PoolingHttpClientConnectionManagerBuilder.create()
                  .setMaxConnTotal(64)
                  .setMaxConnPerRoute(64)
                  .build())
          .disableAutomaticRetries()
          .build();
  private final URI infer;
  private final URI ready;

  V2Client(URI server, String model) {
    this.infer = server.resolve("/v2/models/" + model + "/infer");
    this.ready = server.resolve("/v2/health/ready");
  }

  /** A {@code GET /v2/health/ready}: a round trip that runs no model. */
  void ready() throws IOException {
    Answer answer = http.execute(new HttpGet(ready), V2Client::answer);
    if (answer.status() != 200) {
      throw new IOException("GET " + ready + " answered " + answer.status());
    }
  }

  /** A response's status, body and binary-header length (-1 if none). */
  private record Answer(int status, byte[] body, int headerLength) {}

  private static Answer answer(ClassicHttpResponse response) throws IOException {
    Header length = response.getFirstHeader("Inference-Header-Content-Length");
    return new Answer(
        response.getCode(),
        EntityUtils.toByteArray(response.getEntity()),
        length == null ? -1 : Integer.parseInt(length.getValue()));
  }

  /** A v2 infer body of {@code rows} rows of {@code width} features, FP32. */
  static String body(float[] features, int rows, int width) {
    ObjectNode body = JSON.createObjectNode();
    ObjectNode input = body.putArray("inputs").addObject();
    input.put("name", "input-0").put("datatype", "FP32");
    input.putArray("shape").add(rows).add(width);
    ArrayNode values = input.putArray("data");
    for (int i = 0; i < rows * width; i++) {
      values.add(features[i]);
    }
    return body.toString();
  }

  /**
   * A request of the binary tensor extension: a JSON header naming the input's size, then its
   * {@code rows x width} FP32 values raw, little-endian; the outputs asked for raw too.
   */
  static Binary binaryBody(float[] features, int rows, int width) {
    ObjectNode header = JSON.createObjectNode();
    ObjectNode input = header.putArray("inputs").addObject();
    input.put("name", "input-0").put("datatype", "FP32");
    input.putArray("shape").add(rows).add(width);
    input.putObject("parameters").put("binary_data_size", rows * width * Float.BYTES);
    header.putObject("parameters").put("binary_data_output", true);
    byte[] json = header.toString().getBytes(StandardCharsets.UTF_8);
    ByteBuffer body =
        ByteBuffer.allocate(json.length + rows * width * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
    body.put(json);
    for (int i = 0; i < rows * width; i++) {
      body.putFloat(features[i]);
    }
    return new Binary(body.array(), json.length);
  }

  /** A binary request body and the length of its JSON header. */
  record Binary(byte[] body, int headerLength) {}

  /**
   * Sends one binary request; the labels answered (the raw {@code label} output, INT64), or an
   * exception naming the status.
   */
  long[] inferBinary(Binary request) throws IOException {
    Answer response = post(request);
    if (response.status() != 200) {
      throw new IOException(
          "POST "
              + infer
              + " answered "
              + response.status()
              + ": "
              + new String(response.body(), StandardCharsets.UTF_8));
    }
    int json = response.headerLength();
    JsonNode header = JSON.readTree(response.body(), 0, json);
    ByteBuffer raw =
        ByteBuffer.wrap(response.body(), json, response.body().length - json)
            .order(ByteOrder.LITTLE_ENDIAN);
    long[] labels = null;
    for (JsonNode output : header.get("outputs")) {
      int size = output.get("parameters").get("binary_data_size").asInt();
      if (output.get("name").asText().equals("label")) {
        labels = new long[size / Long.BYTES];
        raw.slice().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(labels);
      }
      raw.position(raw.position() + size);
    }
    return labels;
  }

  /**
   * Sends one binary request that must be refused with {@code status} (a model that is not served:
   * 404): a round trip that carries the request's bytes and runs no model.
   */
  void inferBinaryRefused(Binary request, int status) throws IOException {
    Answer response = post(request);
    if (response.status() != status) {
      throw new IOException(
          "POST " + infer + " answered " + response.status() + ", not the " + status + " expected");
    }
  }

  private Answer post(Binary request) throws IOException {
    HttpPost post = new HttpPost(infer);
    post.setHeader("Inference-Header-Content-Length", String.valueOf(request.headerLength()));
    post.setEntity(new ByteArrayEntity(request.body(), ContentType.APPLICATION_OCTET_STREAM));
    return http.execute(post, V2Client::answer);
  }

  /** Sends one infer request; the response body, or an exception naming the status. */
  String infer(String body) throws IOException {
    HttpPost post = new HttpPost(infer);
    post.setEntity(new StringEntity(body, ContentType.APPLICATION_JSON));
    Answer response = http.execute(post, V2Client::answer);
    String text = new String(response.body(), StandardCharsets.UTF_8);
    if (response.status() != 200) {
      throw new IOException("POST " + infer + " answered " + response.status() + ": " + text);
    }
    return text;
  }

  @Override
  public void close() throws IOException {
    http.close();
  }

  /** The {@code label} output of an infer response. */
  static List<Long> labels(String response) throws IOException {
    List<Long> labels = new ArrayList<>();
    for (JsonNode output : JSON.readTree(response).get("outputs")) {
      if (output.get("name").asText().equals("label")) {
        output.get("data").forEach(v -> labels.add(v.asLong()));
      }
    }
    return labels;
  }
}
