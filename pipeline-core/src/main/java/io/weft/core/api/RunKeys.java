package io.weft.core.api;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Run ids for idempotent starts: a run started with a run key gets an id derived from its workflow
 * and the key, so that every start with the same key names the same run, which the coordinator
 * starts once.
 */
public final class RunKeys {

  private RunKeys() {}

  /** The run id of the run of {@code workflow} started with {@code runKey}. */
  public static String runId(String workflow, String runKey) {
    return UUID.nameUUIDFromBytes((workflow + "\u0000" + runKey).getBytes(StandardCharsets.UTF_8))
        .toString();
  }
}
