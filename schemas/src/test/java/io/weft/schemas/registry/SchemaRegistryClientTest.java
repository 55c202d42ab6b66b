package io.weft.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SchemaRegistryClientTest {

  private static final Schema SCHEMA =
      new Schema.Parser()
          .parse(
              "{\"type\":\"record\",\"name\":\"R\",\"fields\":[{\"name\":\"a\",\"type\":\"int\"}]}");

  private FakeRegistryServer server;

  @BeforeEach
  void startServer() throws Exception {
    server = new FakeRegistryServer();
  }

  @AfterEach
  void stopServer() {
    server.close();
  }

  @Test
  void shouldRegisterOnceAndServeTheIdFromCache() throws Exception {
    // given
    server.answer("POST", "/subjects/orders-value/versions", 200, "{\"id\":7}");
    SchemaRegistryClient client = SchemaRegistryClient.create(server.url());

    // when
    int first = client.register("orders-value", SCHEMA);
    int second = client.register("orders-value", SCHEMA);

    // then
    assertThat(first).isEqualTo(7);
    assertThat(second).isEqualTo(7);
    assertThat(server.requests).hasSize(1);
    FakeRegistryServer.Request request = server.requests.get(0);
    assertThat(request.headers().get("Content-type"))
        .containsExactly(SchemaRegistryClient.CONTENT_TYPE);
    assertThat(new ObjectMapper().readTree(request.body()).get("schema").asText())
        .isEqualTo(SCHEMA.toString());
  }

  @Test
  void shouldTakeTheIdOfASchemaThatAnotherClientRegisteredAtTheSameMoment() {
    // given: the registry refuses with 409 because the schema was just registered by another client
    String entry =
        "{\"subject\":\"s\",\"id\":9,\"version\":1,\"schema\":" + quote(SCHEMA.toString()) + "}";
    server
        .answer(
            "POST",
            "/subjects/s/versions",
            409,
            "{\"error_code\":409,\"message\":\"artifact already exists\"}")
        .answer("POST", "/subjects/s", 200, entry);

    // when / then
    assertThat(SchemaRegistryClient.create(server.url()).register("s", SCHEMA)).isEqualTo(9);
  }

  @Test
  void shouldFetchSchemaByIdOnceAndCacheIt() {
    // given
    server.answer("GET", "/schemas/ids/3", 200, "{\"schema\":" + quote(SCHEMA.toString()) + "}");
    SchemaRegistryClient client = SchemaRegistryClient.create(server.url());

    // when
    Schema first = client.schemaById(3);
    Schema second = client.schemaById(3);

    // then
    assertThat(first).isEqualTo(SCHEMA).isSameAs(second);
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void shouldReadVersionsLatestLookupAndCompatibility() {
    // given
    String entry =
        "{\"subject\":\"s\",\"id\":5,\"version\":2,\"schema\":" + quote(SCHEMA.toString()) + "}";
    server
        .answer("GET", "/subjects/s/versions", 200, "[1,2]")
        .answer("GET", "/subjects/s/versions/latest", 200, entry)
        .answer("GET", "/subjects/s/versions/2", 200, entry)
        .answer("POST", "/subjects/s", 200, entry)
        .answer(
            "POST", "/compatibility/subjects/s/versions/latest", 200, "{\"is_compatible\":false}")
        .answer("GET", "/config", 200, "{\"compatibilityLevel\":\"BACKWARD\"}")
        .answer("PUT", "/config/s", 200, "{\"compatibility\":\"FULL\"}");
    SchemaRegistryClient client = SchemaRegistryClient.create(server.url());

    // when / then
    assertThat(client.versions("s")).containsExactly(1, 2);
    assertThat(client.latest("s")).isEqualTo(new SchemaMetadata("s", 5, 2, SCHEMA));
    assertThat(client.version("s", 2).id()).isEqualTo(5);
    assertThat(client.lookup("s", SCHEMA).version()).isEqualTo(2);
    assertThat(client.isCompatible("s", SCHEMA)).isFalse();
    assertThat(client.compatibility()).isEqualTo(CompatibilityLevel.BACKWARD);
    client.setCompatibility("s", CompatibilityLevel.FULL);
    assertThat(server.requests.get(server.requests.size() - 1).body()).contains("\"FULL\"");
  }

  @Test
  void shouldTreatASubjectWithoutVersionsAsCompatible() {
    // given
    server.answer(
        "POST",
        "/compatibility/subjects/new-value/versions/latest",
        404,
        "{\"error_code\":40401,\"message\":\"Subject 'new-value' not found.\"}");

    // when / then
    assertThat(SchemaRegistryClient.create(server.url()).isCompatible("new-value", SCHEMA))
        .isTrue();
  }

  static Stream<Arguments> errors() {
    return Stream.of(
        Arguments.of(404, 40401, SubjectNotFoundException.class),
        Arguments.of(404, 40402, VersionNotFoundException.class),
        Arguments.of(404, 40403, SchemaNotFoundException.class),
        Arguments.of(409, 409, IncompatibleSchemaException.class),
        Arguments.of(422, 42201, InvalidSchemaException.class),
        Arguments.of(401, 401, RegistryAuthorizationException.class),
        Arguments.of(403, 40301, RegistryAuthorizationException.class),
        Arguments.of(500, 50001, RegistryUnavailableException.class),
        Arguments.of(422, 42203, SchemaRegistryException.class));
  }

  @ParameterizedTest(name = "{0}/{1} -> {2}")
  @MethodSource("errors")
  void shouldMapRegistryErrorsToTypedExceptions(
      int status, int errorCode, Class<? extends SchemaRegistryException> expected) {
    // given
    server.answer(
        "POST",
        "/subjects/orders-value/versions",
        status,
        "{\"error_code\":" + errorCode + ",\"message\":\"registry says no\"}");
    SchemaRegistryClient client = SchemaRegistryClient.create(server.url());

    // when / then
    assertThatThrownBy(() -> client.register("orders-value", SCHEMA))
        .isExactlyInstanceOf(expected)
        .hasMessageContaining("POST /subjects/orders-value/versions")
        .hasMessageContaining("registry says no")
        .satisfies(
            e -> {
              SchemaRegistryException error = (SchemaRegistryException) e;
              assertThat(error.status()).isEqualTo(status);
              assertThat(error.errorCode()).isEqualTo(errorCode);
            });
  }

  @Test
  void shouldSendBasicAuthCredentials() {
    // given
    server.answer("GET", "/subjects", 200, "[\"a-value\"]");
    SchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            List.of(server.url()), Optional.of("weft:s3cret"), Duration.ofSeconds(5));

    // when
    List<String> subjects = client.subjects();

    // then
    assertThat(subjects).containsExactly("a-value");
    String expected = "Basic " + Base64.getEncoder().encodeToString("weft:s3cret".getBytes());
    assertThat(server.requests.get(0).headers().get("Authorization")).containsExactly(expected);
  }

  @Test
  void shouldSayWhetherCredentialsWereSentWhenTheRegistryAnswers401() {
    // given
    server.answer(
        "GET", "/subjects", 401, "{\"error_code\":401,\"message\":\"User is not authenticated.\"}");
    SchemaRegistryClient anonymous = SchemaRegistryClient.create(server.url());
    SchemaRegistryClient withPassword =
        new HttpSchemaRegistryClient(
            List.of(server.url()), Optional.of("weft:s3cret"), Duration.ofSeconds(5));

    // when / then
    assertThatThrownBy(anonymous::subjects)
        .isInstanceOf(RegistryAuthorizationException.class)
        .hasMessageContaining(server.url())
        .hasMessageContaining("no credentials were sent: set basic.auth.user.info");
    assertThatThrownBy(withPassword::subjects)
        .isInstanceOf(RegistryAuthorizationException.class)
        .hasMessageContaining("refused the credentials of basic.auth.user.info")
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void shouldFailOverToTheNextUrlWhenOneIsUnreachable() throws Exception {
    // given
    server.answer("GET", "/subjects", 200, "[]");
    String dead = "http://127.0.0.1:" + closedPort();
    SchemaRegistryClient client =
        new HttpSchemaRegistryClient(
            List.of(dead, server.url()), Optional.empty(), Duration.ofSeconds(5));

    // when / then
    assertThat(client.subjects()).isEmpty();
    assertThat(server.requests).hasSize(1);
  }

  @Test
  void shouldNameTheAddressWhenNoRegistryAnswers() throws Exception {
    // given
    String dead = "http://127.0.0.1:" + closedPort();
    SchemaRegistryClient client = SchemaRegistryClient.create(dead);

    // when / then
    assertThatThrownBy(() -> client.schemaById(1))
        .isInstanceOf(RegistryUnavailableException.class)
        .hasMessageContaining("GET /schemas/ids/1")
        .hasMessageContaining(dead);
  }

  @Test
  void shouldEncodeSubjectsInPaths() {
    // given
    server.answer("GET", "/subjects/a%20b%2Fc/versions", 200, "[1]");

    // when / then
    assertThat(SchemaRegistryClient.create(server.url()).versions("a b/c")).containsExactly(1);
  }

  private static int closedPort() throws Exception {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static String quote(String json) {
    return new ObjectMapper().valueToTree(json).toString();
  }
}
