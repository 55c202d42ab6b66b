package io.weft.core.internals.ui;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One browser's server-sent event stream ({@code text/event-stream}) of the events of one run, or
 * of every run: the feed's thread queues them, and a thread of the stream's own writes them, so
 * that a slow browser never holds the feed up. A browser that falls {@value #QUEUE} events behind
 * is disconnected (its {@code EventSource} reconnects and reloads); a comment every 15 s finds
 * closed connections.
 */
final class EventStream {

  private static final Logger log = LoggerFactory.getLogger(EventStream.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int QUEUE = 10_000;
  private static final byte[] CLOSE = new byte[0];
  private static final byte[] KEEP_ALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.US_ASCII);

  private final HttpExchange exchange;
  private final String runId;
  private final BlockingQueue<byte[]> queue = new ArrayBlockingQueue<>(QUEUE);

  private EventStream(HttpExchange exchange, String runId) {
    this.exchange = exchange;
    this.runId = runId;
  }

  /**
   * Answers {@code exchange} with a stream of the events of {@code runId} (of every run if null)
   * until the browser goes away or the feed closes; returns at once. At most as many streams as
   * {@code slots} has permits are open at a time; beyond that, 503.
   */
  static void open(HttpExchange exchange, EventFeed feed, String runId, Semaphore slots)
      throws IOException {
    if (!slots.tryAcquire()) {
      UiResponses.error(exchange, 503, "too many open event streams");
      exchange.close();
      return;
    }
    EventStream stream = new EventStream(exchange, runId);
    AutoCloseable subscription;
    try {
      exchange.getResponseHeaders().add("Content-Type", "text/event-stream; charset=utf-8");
      exchange.getResponseHeaders().add("Cache-Control", "no-cache");
      exchange.sendResponseHeaders(200, 0);
      subscription = feed.subscribe(stream::offer);
    } catch (IOException | RuntimeException e) {
      slots.release();
      exchange.close();
      throw e;
    }
    Thread writer =
        new Thread(
            () -> {
              try {
                stream.write();
              } finally {
                try {
                  subscription.close();
                } catch (Exception e) {
                  log.debug("Closing a UI subscription failed: {}", e.toString());
                }
                exchange.close();
                slots.release();
              }
            },
            "weft-ui-stream");
    writer.setDaemon(true);
    writer.start();
  }

  private void offer(String eventRunId, Supplier<ObjectNode> event) {
    if (runId != null && !runId.equals(eventRunId)) {
      return;
    }
    ObjectNode json = event.get();
    if (json == null) {
      return;
    }
    byte[] frame;
    try {
      frame = ("data: " + JSON.writeValueAsString(json) + "\n\n").getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      return;
    }
    if (!queue.offer(frame)) {
      queue.clear();
      queue.offer(CLOSE);
    }
  }

  private void write() {
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(": connected\n\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      while (true) {
        byte[] frame = queue.poll(15, TimeUnit.SECONDS);
        if (frame == CLOSE) {
          return;
        }
        out.write(frame == null ? KEEP_ALIVE : frame);
        while ((frame = queue.poll()) != null) {
          if (frame == CLOSE) {
            return;
          }
          out.write(frame);
        }
        out.flush();
      }
    } catch (IOException e) {
      log.debug("A browser closed its event stream: {}", e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
