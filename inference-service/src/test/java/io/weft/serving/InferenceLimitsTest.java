package io.weft.serving;

import static io.weft.serving.ServingFixture.json;
import static io.weft.serving.ServingFixture.oneRow;
import static org.assertj.core.api.Assertions.assertThat;

import io.weft.serving.internals.HeadLimits;
import java.io.InputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The limits on what a client sends, each refused with its status, a JSON error naming the limit,
 * and a count in {@code weft.inference.refused} by reason; and the server answering afterwards.
 */
class InferenceLimitsTest {

  private static final String INFER = "/v2/models/mnist/infer";

  private final ServingFixture serving = new ServingFixture();

  @AfterEach
  void close() {
    serving.close();
  }

  @Test
  void shouldRefuseABodyOverTheLimitWith413BeforeReadingIt() throws Exception {
    // given: a 1 KiB limit
    serving.serve("mnist", 1, Map.of("serve.max.request.bytes", 1024));
    byte[] big = new byte[64 * 1024];

    // when: once with a Content-Length, once chunked
    HttpResponse<String> sized =
        serving.send(serving.request(INFER).POST(HttpRequest.BodyPublishers.ofByteArray(big)));
    HttpResponse<String> chunked =
        serving.send(
            serving
                .request(INFER)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new Zeros(64 * 1024))));

    // then
    assertThat(sized.statusCode()).isEqualTo(413);
    assertThat(json(sized).get("error").asText())
        .isEqualTo(
            "request body of 65536 bytes is over serve.max.request.bytes (1024 bytes); send"
                + " smaller batches");
    assertThat(chunked.statusCode()).isEqualTo(413);
    assertThat(json(chunked).get("error").asText())
        .startsWith("request body of more than 1024 bytes is over serve.max.request.bytes");
    assertThat(serving.refused("body_too_large")).isEqualTo(2);
    assertThat(
            serving
                .server()
                .meterRegistry()
                .get("weft.inference.requests")
                .tags("model", "mnist", "version", "1", "status", "413")
                .counter()
                .count())
        .isEqualTo(2);
    // and: the server still answers
    assertThat(serving.post(INFER, oneRow("[1,2,3,4]")).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseAnInputOverTheBatchLimitWith413NamingItAndTheSetting() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of("serve.max.batch", 2));

    // when
    HttpResponse<String> response =
        serving.post(
            INFER,
            "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[3,4],\"datatype\":\"FP32\","
                + "\"data\":[1,2,3,4,5,6,7,8,9,10,11,12]}]}");

    // then
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asText())
        .isEqualTo(
            "input 'pixels' has 3 rows, more than serve.max.batch allows (2); send smaller"
                + " batches");
    assertThat(serving.refused("tensor_too_large")).isEqualTo(1);
    assertThat(serving.refused()).isEqualTo(1);
  }

  @Test
  void shouldRefuseAShapeHoldingMoreValuesThanABodyCanCarryWith413() throws Exception {
    // given: a body of 1 KiB holds at most 512 values, a batch may have 1,000 rows of 4
    serving.serve("mnist", 1, Map.of("serve.max.request.bytes", 1024, "serve.max.batch", 1_000));

    // when: the shape is refused before the data is read
    HttpResponse<String> response =
        serving.post(
            INFER,
            "{\"inputs\":[{\"name\":\"pixels\",\"shape\":[129,4],\"datatype\":\"FP32\","
                + "\"data\":[]}]}");

    // then
    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(json(response).get("error").asText())
        .isEqualTo(
            "input 'pixels' has shape [129, 4], 516 values, more than a body of"
                + " serve.max.request.bytes (1024 bytes) can hold (512); send smaller batches");
    assertThat(serving.refused("tensor_too_large")).isEqualTo(1);
  }

  @Test
  void shouldRefuseMoreHeadersThanTheLimitWith431() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());
    HttpRequest.Builder request = serving.request(INFER);
    for (int i = 0; i < HeadLimits.MAX_HEADERS; i++) {
      request.header("X-Extra-" + i, "1");
    }

    // when: the limit's worth of extra headers, with the client's own
    HttpResponse<String> response =
        serving.send(request.POST(HttpRequest.BodyPublishers.ofString(oneRow("[1,2,3,4]"))));

    // then
    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(response.headers().firstValue("Content-Type")).contains("application/json");
    assertThat(json(response).get("error").asText())
        .matches("request has 1\\d\\d header lines, more than the 100 this server accepts");
    assertThat(serving.refused("too_many_headers")).isEqualTo(1);
    // and: the server still answers
    assertThat(serving.post(INFER, oneRow("[1,2,3,4]")).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldRefuseHeadersOverTheSizeLimitWith431() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());

    // when: two headers of 40,000 characters, under what the server reads of a head
    HttpResponse<String> response =
        serving.send(
            serving
                .request("/v2/health/live")
                .header("X-Big", "a".repeat(40_000))
                .header("X-Big", "b".repeat(40_000))
                .GET());

    // then
    assertThat(response.statusCode()).isEqualTo(431);
    assertThat(json(response).get("error").asText())
        .matches("request headers of 8\\d{4} characters are over the 65536 this server accepts");
    assertThat(serving.refused("headers_too_large")).isEqualTo(1);
  }

  @Test
  void shouldRefuseALongRequestTargetWith414() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());

    // when
    String target = "/v2/models/" + "m".repeat(10_000) + "/ready";
    HttpResponse<String> response = serving.send(serving.request(target).GET());

    // then
    assertThat(response.statusCode()).isEqualTo(414);
    assertThat(json(response).get("error").asText())
        .isEqualTo(
            "request target of "
                + target.length()
                + " characters is over the 8192 this server accepts");
    assertThat(serving.refused("uri_too_long")).isEqualTo(1);
  }

  @Test
  void shouldCountEveryOtherRefusalByReason() throws Exception {
    // given
    serving.serve("mnist", 1, Map.of());

    // when
    serving.post(INFER, "{not json");
    serving.post(INFER, oneRow("[1,2,3,1e39]"));
    serving.post("/v2/models/fashion/infer", oneRow("[1,2,3,4]"));
    serving.send(serving.request(INFER).DELETE());

    // then
    assertThat(serving.refused("bad_request")).isEqualTo(2);
    assertThat(serving.refused("not_found")).isEqualTo(1);
    assertThat(serving.refused("method_not_allowed")).isEqualTo(1);
    assertThat(serving.refused()).isEqualTo(4);
    // and: a model the server does not serve is not a tag of its own
    assertThat(
            serving
                .server()
                .meterRegistry()
                .get("weft.inference.requests")
                .tags("model", "", "version", "", "status", "404")
                .counter()
                .count())
        .isEqualTo(1);
  }

  /** {@code size} zero bytes, of unknown length to the client (sent chunked). */
  private static final class Zeros extends InputStream {
    private int left;

    Zeros(int size) {
      this.left = size;
    }

    @Override
    public int read() {
      return left-- > 0 ? 0 : -1;
    }
  }
}
