package io.weft.serving;

import static io.weft.core.testing.HttpSecurityKit.READER;
import static io.weft.core.testing.HttpSecurityKit.WRITER;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.TlsChannelCredentials;
import io.weft.core.http.HttpSettings;
import io.weft.core.testing.HttpSecurityKit;
import io.weft.embedded.LocalPki;
import io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import io.weft.serving.grpc.v2.ModelMetadataRequest;
import io.weft.serving.grpc.v2.ModelReadyRequest;
import io.weft.serving.grpc.v2.ServerLiveRequest;
import io.weft.serving.grpc.v2.ServerMetadataRequest;
import io.weft.serving.grpc.v2.ServerReadyRequest;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The gRPC endpoint with tokens required: the scope each method needs (as the REST endpoint's
 * twin), the codes, messages and challenge of a refusal and its count; and over TLS, the key store
 * of the HTTP server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class GrpcSecurityTest {

  private static final Metadata.Key<String> CHALLENGE =
      Metadata.Key.of("www-authenticate", Metadata.ASCII_STRING_MARSHALLER);

  @TempDir static Path dir;

  private final ServingFixture secured = new ServingFixture();
  private GrpcClient client;

  @BeforeAll
  void serveWithTokens() {
    secured.serve(
        "mnist",
        1,
        Map.of(
            HttpSettings.AUTH_TOKENS_FILE_CONFIG,
            HttpSecurityKit.tokenFile(dir).toString(),
            InferenceConfig.GRPC_PORT_CONFIG,
            0));
    client = new GrpcClient(secured.server());
  }

  @AfterAll
  void stop() {
    client.close();
    secured.close();
  }

  private static final Map<String, Function<GRPCInferenceServiceBlockingStub, Object>> CALLS =
      Map.of(
          "ServerLive", stub -> stub.serverLive(ServerLiveRequest.getDefaultInstance()),
          "ServerReady", stub -> stub.serverReady(ServerReadyRequest.getDefaultInstance()),
          "ServerMetadata", stub -> stub.serverMetadata(ServerMetadataRequest.getDefaultInstance()),
          "ModelReady",
              stub -> stub.modelReady(ModelReadyRequest.newBuilder().setName("mnist").build()),
          "ModelMetadata",
              stub ->
                  stub.modelMetadata(ModelMetadataRequest.newBuilder().setName("mnist").build()),
          "ModelInfer",
              stub -> stub.modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 4), 1, 2, 3, 4)));

  @ParameterizedTest(name = "{0} with {1}: {2}")
  @CsvSource({
    "ServerLive, none, OK",
    "ServerReady, none, OK",
    "ServerMetadata, none, UNAUTHENTICATED",
    "ServerMetadata, writer, PERMISSION_DENIED",
    "ServerMetadata, reader, OK",
    "ModelReady, reader, OK",
    "ModelMetadata, none, UNAUTHENTICATED",
    "ModelMetadata, reader, OK",
    "ModelInfer, none, UNAUTHENTICATED",
    "ModelInfer, reader, PERMISSION_DENIED",
    "ModelInfer, writer, OK",
    "ModelInfer, not-a-token-0123456789, UNAUTHENTICATED",
  })
  void shouldAskEachMethodsScope(String method, String who, Status.Code code) {
    // given
    GRPCInferenceServiceBlockingStub stub =
        switch (who) {
          case "none" -> client.stub();
          case "reader" -> client.stub(READER);
          case "writer" -> client.stub(WRITER);
          default -> client.stub(who);
        };

    // when
    Status.Code answered;
    try {
      CALLS.get(method).apply(stub);
      answered = Status.Code.OK;
    } catch (StatusRuntimeException e) {
      answered = e.getStatus().getCode();
    }

    // then
    assertThat(answered).isEqualTo(code);
  }

  @Test
  void shouldRefuseWithTheHttpMessageAndChallengeAndCountIt() {
    // given
    double unauthenticated = secured.refused("unauthenticated");
    double forbidden = secured.refused("forbidden");

    // when
    StatusRuntimeException anonymous = refusal(client.stub());
    StatusRuntimeException reader = refusal(client.stub(READER));

    // then
    assertThat(anonymous.getStatus().getDescription())
        .isEqualTo(
            "POST /inference.GRPCInferenceService/ModelInfer needs a bearer token with the write"
                + " scope (Authorization: Bearer <token>)");
    assertThat(anonymous.getTrailers().get(CHALLENGE)).isEqualTo("Bearer realm=\"weft\"");
    assertThat(reader.getStatus().getDescription())
        .isEqualTo(
            "token 'reader' does not hold the write scope that POST"
                + " /inference.GRPCInferenceService/ModelInfer needs");
    assertThat(reader.getTrailers().get(CHALLENGE))
        .isEqualTo("Bearer realm=\"weft\", error=\"insufficient_scope\", scope=\"write\"");
    assertThat(secured.refused("unauthenticated") - unauthenticated).isEqualTo(1);
    assertThat(secured.refused("forbidden") - forbidden).isEqualTo(1);
  }

  private static StatusRuntimeException refusal(GRPCInferenceServiceBlockingStub stub) {
    try {
      stub.modelInfer(GrpcClient.raw(GrpcClient.infer("mnist", 4), 1, 2, 3, 4));
    } catch (StatusRuntimeException e) {
      return e;
    }
    throw new AssertionError("the call was answered, not refused");
  }

  @Test
  void shouldServeTlsWithTheHttpKeyStoreToAClientThatTrustsTheAuthority() throws Exception {
    // given
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    try (ServingFixture serving = new ServingFixture()) {
      serving.serve(
          "mnist",
          1,
          Map.of(
              HttpSettings.TLS_KEYSTORE_LOCATION_CONFIG,
              pki.keyStore("inference").toString(),
              HttpSettings.TLS_KEYSTORE_PASSWORD_CONFIG,
              pki.password(),
              InferenceConfig.GRPC_PORT_CONFIG,
              0));

      // when
      try (GrpcClient trusting =
              new GrpcClient(
                  serving.server(),
                  TlsChannelCredentials.newBuilder().trustManager(pki.caPem().toFile()).build());
          GrpcClient plaintext = new GrpcClient(serving.server())) {

        // then
        assertThat(trusting.stub().serverLive(ServerLiveRequest.getDefaultInstance()).getLive())
            .isTrue();
        assertThatThrownBy(
                () -> plaintext.stub().serverLive(ServerLiveRequest.getDefaultInstance()))
            .isInstanceOf(StatusRuntimeException.class)
            .extracting(e -> ((StatusRuntimeException) e).getStatus().getCode())
            .isEqualTo(Status.Code.UNAVAILABLE);
      }
    }
  }
}
