package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import java.io.IOException;
import java.io.Writer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code weft serve} as a process of its own against the embedded stack. */
@ExtendWith(WeftStackExtension.class)
class ServeCommandIT {

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @TempDir Path dir;
  private CliKit kit;
  private WeftProcess serve;

  @AfterEach
  void stop() throws InterruptedException {
    if (serve != null) {
      serve.close();
    }
    if (kit != null) {
      kit.close();
    }
  }

  @Test
  void shouldServeTheV2ProtocolUntilSigterm(WeftStack stack) throws Exception {
    // given
    kit = new CliKit(stack, "cli-serve");
    Path config = kit.dir.resolve("serve.properties");
    Files.createDirectories(kit.dir);
    Properties props = new Properties();
    kit.common().forEach((k, v) -> props.setProperty(k, String.valueOf(v)));
    try (Writer out = Files.newBufferedWriter(config)) {
      props.store(out, null);
    }

    // when
    serve =
        WeftProcess.start(
            kit.dir.resolve("process"),
            Map.of(),
            "serve",
            "--config",
            config.toString(),
            "--port",
            "0",
            "--grpc-port",
            "0",
            "--max-batch",
            "8",
            "--artifact-dir",
            kit.dir.resolve("artifacts").toString());
    java.util.regex.Matcher started =
        Pattern.compile("^inference service on (\\S+) and gRPC on ([\\d.]+):(\\d+) .*$")
            .matcher(
                serve.awaitOutput(
                    Pattern.compile("^(inference service on .*)$"), Duration.ofMinutes(2)));
    assertThat(started.matches()).as("the address of each endpoint is printed").isTrue();
    String url = started.group(1);

    // then
    assertThat(get(url + "/v2/health/live").statusCode()).isEqualTo(200);
    io.grpc.ManagedChannel channel =
        io.grpc.Grpc.newChannelBuilderForAddress(
                started.group(2),
                Integer.parseInt(started.group(3)),
                io.grpc.InsecureChannelCredentials.create())
            .build();
    try {
      assertThat(
              io.weft.serving.grpc.v2.GRPCInferenceServiceGrpc.newBlockingStub(channel)
                  .withDeadlineAfter(10, java.util.concurrent.TimeUnit.SECONDS)
                  .serverLive(io.weft.serving.grpc.v2.ServerLiveRequest.getDefaultInstance())
                  .getLive())
          .isTrue();
    } finally {
      channel.shutdownNow();
    }
    HttpResponse<String> unknown = get(url + "/v2/models/nope");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(unknown.body()).contains("model 'nope' not found");

    // and when: SIGTERM
    serve.stop(Duration.ofSeconds(60));
    assertThatThrownBy(() -> get(url + "/v2/health/live")).isInstanceOf(IOException.class);
  }

  @Test
  void shouldExit2NamingAnUnknownSetting() throws IOException {
    Cli.Result result =
        Cli.run(
            "serve",
            "--bootstrap-servers",
            "127.0.0.1:1",
            "--schema-registry-url",
            "http://127.0.0.1:1",
            "--config",
            writeConfig("serve.prot=9000"));

    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("serve.prot");
  }

  private String writeConfig(String line) throws IOException {
    Path file = dir.resolve("serve.properties");
    Files.writeString(file, line + "\n");
    return file.toString();
  }

  private static HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }
}
