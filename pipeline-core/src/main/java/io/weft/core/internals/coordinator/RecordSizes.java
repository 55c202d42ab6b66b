package io.weft.core.internals.coordinator;

import io.weft.schemas.common.TaskOutput;
import io.weft.schemas.tasks.TaskRequest;
import java.util.Map;
import org.apache.kafka.common.utils.Utils;

/**
 * The encoded size of the parts of the coordinator's records that grow with a run's data (params,
 * outputs, upstream outputs), counted in UTF-8 bytes plus a few bytes per field for Avro's lengths,
 * without encoding the record. Fixed-size fields are covered by {@link #FIXED}.
 */
final class RecordSizes {

  /** Room for a record's fixed fields, ids and the wire format's header. */
  static final int FIXED = 512;

  private static final int PER_ENTRY = 8;

  private RecordSizes() {}

  /** A task request's size: its params and its upstream outputs. */
  static long of(TaskRequest request) {
    long size = FIXED + ofStrings(request.getParams());
    for (var upstream : request.getUpstream().entrySet()) {
      size += text(upstream.getKey()) + PER_ENTRY + ofOutputs(upstream.getValue());
    }
    return size;
  }

  /** The size of a map of outputs. */
  static long ofOutputs(Map<String, TaskOutput> outputs) {
    long size = 0;
    for (var output : outputs.entrySet()) {
      TaskOutput value = output.getValue();
      size += text(output.getKey()) + PER_ENTRY;
      size +=
          value.getArtifact() != null
              ? text(value.getArtifact().getUri())
                  + text(value.getArtifact().getSha256())
                  + text(value.getArtifact().getMediaType())
                  + PER_ENTRY
              : text(value.getJson());
    }
    return size;
  }

  static long ofStrings(Map<String, String> map) {
    long size = 0;
    for (var entry : map.entrySet()) {
      size += text(entry.getKey()) + text(entry.getValue()) + PER_ENTRY;
    }
    return size;
  }

  private static long text(CharSequence text) {
    return text == null ? 1 : Utils.utf8Length(text) + 2;
  }
}
