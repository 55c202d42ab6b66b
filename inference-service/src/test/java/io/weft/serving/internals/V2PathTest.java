package io.weft.serving.internals;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.serving.internals.V2Path.Endpoint;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class V2PathTest {

  @ParameterizedTest
  @CsvSource(
      nullValues = "-",
      value = {
        "/v2, SERVER_METADATA, -, -",
        "/v2/, SERVER_METADATA, -, -",
        "/v2/health/live, LIVE, -, -",
        "/v2/health/ready, READY, -, -",
        "/v2/models/mnist, MODEL_METADATA, mnist, -",
        "/v2/models/mnist/ready, MODEL_READY, mnist, -",
        "/v2/models/mnist/infer, INFER, mnist, -",
        "/v2/models/mnist/versions/3, MODEL_METADATA, mnist, 3",
        "/v2/models/mnist/versions/3/ready, MODEL_READY, mnist, 3",
        "/v2/models/mnist/versions/3/infer, INFER, mnist, 3",
        "/v2/models/my%20model/infer, INFER, my model, -",
      })
  void shouldRecogniseEveryEndpoint(String path, Endpoint endpoint, String model, String version) {
    assertThat(V2Path.parse(path)).contains(new V2Path(endpoint, model, version));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/",
        "/v1/models/mnist",
        "/v2/health",
        "/v2/health/dead",
        "/v2/models",
        "/v2/models/",
        "/v2/models/mnist/predict",
        "/v2/models/mnist/versions",
        "/v2/models/mnist/versions/3/explain",
        "/v2/models/mnist/infer/more",
      })
  void shouldRecogniseNoEndpointElsewhere(String path) {
    assertThat(V2Path.parse(path)).isEmpty();
  }
}
