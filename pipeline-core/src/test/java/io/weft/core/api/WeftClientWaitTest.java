package io.weft.core.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.weft.common.WeftException;
import io.weft.core.testing.ManualTime;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's waits read the clock they are given: against a query API that never knows the run, a
 * wait ends exactly at its deadline by that clock, having asked with a growing pause.
 */
class WeftClientWaitTest {

  private final ManualTime time = new ManualTime();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer server;
  private WeftClient client;

  @BeforeEach
  void start() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/runs/",
        exchange -> {
          requests.incrementAndGet();
          exchange.sendResponseHeaders(404, -1);
          exchange.close();
        });
    server.start();
    client =
        WeftClient.create(
            Map.of(
                "bootstrap.servers", "127.0.0.1:9",
                "schema.registry.url", "mock://wait-test",
                "weft.query.url", "http://127.0.0.1:" + server.getAddress().getPort()),
            time);
  }

  @AfterEach
  void stop() {
    client.close();
    server.stop(0);
  }

  @Test
  void shouldGiveUpWaitingForCompletionAtTheDeadlineOfTheGivenClock() {
    // given
    long start = time.milliseconds();

    // when / then
    assertThatThrownBy(() -> client.awaitCompletion("run-1", Duration.ofSeconds(30)))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("did not finish within PT30S");
    assertThat(time.milliseconds() - start).isEqualTo(30_000);
    // pauses of 20, 40, 80, 160 ms, then 250 ms at most: about 120 requests, not thousands
    assertThat(requests.get()).isBetween(100, 130);
  }

  @Test
  void shouldGiveUpWaitingForAcceptanceAtTheDeadlineOfTheGivenClock() {
    // given
    long start = time.milliseconds();

    // when / then
    assertThatThrownBy(() -> client.awaitAccepted("run-2", Duration.ofSeconds(5)))
        .isInstanceOf(WeftException.class)
        .hasMessageContaining("no coordinator reported it within PT5S");
    assertThat(time.milliseconds() - start).isEqualTo(5_000);
  }
}
