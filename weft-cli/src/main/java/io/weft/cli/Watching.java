package io.weft.cli;

import io.weft.core.api.WeftClient;
import io.weft.schemas.events.RunCancelled;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.events.RunFailed;
import io.weft.schemas.events.RunSucceeded;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.StringJoiner;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificRecord;

/** Prints a run's events as they happen until it ends. */
final class Watching {

  private Watching() {}

  /** Follows {@code runId}; returns {@link Weft#OK} if it succeeds, {@link Weft#FAILED} if not. */
  static int watch(WeftClient client, String runId, PrintWriter out, Duration timeout)
      throws Exception {
    CompletableFuture<Object> end = new CompletableFuture<>();
    try (AutoCloseable following =
        client.follow(
            runId,
            event -> {
              synchronized (out) {
                out.println(line(event));
                out.flush();
              }
              Object e = event.getEvent();
              if (e instanceof RunSucceeded
                  || e instanceof RunFailed
                  || e instanceof RunCancelled) {
                end.complete(e);
              }
            })) {
      Object last = end.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return last instanceof RunSucceeded ? Weft.OK : Weft.FAILED;
    } catch (TimeoutException e) {
      throw new CliException(Weft.FAILED, "run " + runId + " did not end within " + timeout);
    } catch (ExecutionException e) {
      throw new CliException(Weft.FAILED, "watching run " + runId + " failed: " + e.getCause());
    }
  }

  /** One event on one line: time, sequence, type and its fields but the run id. */
  static String line(RunEvent event) {
    SpecificRecord body = (SpecificRecord) event.getEvent();
    StringJoiner fields = new StringJoiner(" ");
    for (Schema.Field field : body.getSchema().getFields()) {
      Object value = body.get(field.pos());
      if (!field.name().equals("runId") && value != null) {
        fields.add(field.name() + "=" + value);
      }
    }
    return String.format(
        "%s  #%d  %-14s %s",
        event.getTimestamp(), event.getSequence(), body.getClass().getSimpleName(), fields);
  }
}
