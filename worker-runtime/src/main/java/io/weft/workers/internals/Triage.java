package io.weft.workers.internals;

import com.fasterxml.jackson.databind.JsonNode;
import io.weft.schemas.common.TaskError;
import io.weft.schemas.tasks.TaskRequest;
import io.weft.workers.api.OutputValue;
import java.util.Map;

/**
 * What to do with one task record.
 *
 * @param kind the verdict
 * @param request the decoded request (EXECUTE, REJECT)
 * @param params the parsed parameters (EXECUTE)
 * @param upstream the parsed upstream outputs (EXECUTE)
 * @param rejection why the request fails without running (REJECT)
 * @param error why the record is dead-lettered (DEAD_LETTER) or must wait (RETRY_LATER)
 */
public record Triage(
    Kind kind,
    TaskRequest request,
    Map<String, JsonNode> params,
    Map<String, Map<String, OutputValue>> upstream,
    TaskError rejection,
    RuntimeException error) {

  /** The verdicts. */
  public enum Kind {
    /** A valid request: run the handler. */
    EXECUTE,
    /** An identifiable request that cannot run (e.g. a parameter is not JSON): report FAILED. */
    REJECT,
    /** Not a request of this type (undecodable, no value, wrong key or type): dead-letter it. */
    DEAD_LETTER,
    /** Cannot tell now (the registry is unreachable): read the record again later. */
    RETRY_LATER
  }

  static Triage execute(
      TaskRequest request,
      Map<String, JsonNode> params,
      Map<String, Map<String, OutputValue>> upstream) {
    return new Triage(Kind.EXECUTE, request, params, upstream, null, null);
  }

  static Triage reject(TaskRequest request, TaskError rejection) {
    return new Triage(Kind.REJECT, request, null, null, rejection, null);
  }

  static Triage deadLetter(RuntimeException error) {
    return new Triage(Kind.DEAD_LETTER, null, null, null, null, error);
  }

  static Triage retryLater(RuntimeException error) {
    return new Triage(Kind.RETRY_LATER, null, null, null, null, error);
  }
}
