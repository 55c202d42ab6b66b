package io.weft.core.internals.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.weft.schemas.events.RunEvent;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Collection;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericEnumSymbol;
import org.apache.avro.generic.IndexedRecord;

/**
 * Avro records as the JSON the UI reads: a record as an object of its fields, timestamps as
 * ISO-8601 text, enums as their symbol, bytes as their length.
 */
final class AvroJson {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private AvroJson() {}

  /**
   * An event of {@code weft.events} as one flat object: {@code runId}, {@code sequence}, {@code
   * timestamp}, {@code type} (e.g. {@code TaskProgressed}) and the event's own fields.
   */
  static ObjectNode event(RunEvent event) {
    ObjectNode node = NODES.objectNode();
    node.put("runId", event.getRunId());
    node.put("sequence", event.getSequence());
    node.put("timestamp", event.getTimestamp().toString());
    IndexedRecord body = (IndexedRecord) event.getEvent();
    node.put("type", body.getSchema().getName());
    node.setAll(record(body));
    return node;
  }

  static ObjectNode record(IndexedRecord record) {
    ObjectNode node = NODES.objectNode();
    for (Schema.Field field : record.getSchema().getFields()) {
      node.set(field.name(), value(record.get(field.pos())));
    }
    return node;
  }

  static JsonNode value(Object value) {
    if (value == null) {
      return NODES.nullNode();
    } else if (value instanceof CharSequence || value instanceof GenericEnumSymbol<?>) {
      return NODES.textNode(value.toString());
    } else if (value instanceof Enum<?> symbol) {
      return NODES.textNode(symbol.name());
    } else if (value instanceof Integer i) {
      return NODES.numberNode(i);
    } else if (value instanceof Long l) {
      return NODES.numberNode(l);
    } else if (value instanceof Double d) {
      return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(d.toString());
    } else if (value instanceof Float f) {
      return Float.isFinite(f) ? NODES.numberNode(f) : NODES.textNode(f.toString());
    } else if (value instanceof Boolean b) {
      return NODES.booleanNode(b);
    } else if (value instanceof Instant instant) {
      return NODES.textNode(instant.toString());
    } else if (value instanceof ByteBuffer bytes) {
      return NODES.numberNode(bytes.remaining());
    } else if (value instanceof IndexedRecord record) {
      return record(record);
    } else if (value instanceof Map<?, ?> map) {
      ObjectNode node = NODES.objectNode();
      map.forEach((key, v) -> node.set(String.valueOf(key), value(v)));
      return node;
    } else if (value instanceof Collection<?> items) {
      ArrayNode node = NODES.arrayNode();
      items.forEach(item -> node.add(value(item)));
      return node;
    }
    return NODES.textNode(value.toString());
  }
}
