package io.weft.core.internals.coordinator;

import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.schemas.definitions.WorkflowDef;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads registered definitions from the coordinator's global store (key {@code name:version}),
 * converting each once: a registered version never changes.
 */
final class DefinitionLookup {

  private final ReadOnlyKeyValueStore<String, WorkflowDef> store;
  private final Map<String, WorkflowDefinition> converted = new ConcurrentHashMap<>();

  DefinitionLookup(ReadOnlyKeyValueStore<String, WorkflowDef> store) {
    this.store = store;
  }

  /** The definition {@code name:version}, or the latest version if {@code version} is null. */
  WorkflowDefinition find(String name, Integer version) {
    String key = version != null ? WorkflowDefinition.key(name, version) : latestKey(name);
    if (key == null) {
      return null;
    }
    WorkflowDefinition cached = converted.get(key);
    if (cached != null) {
      return cached;
    }
    WorkflowDef def = store.get(key);
    if (def == null) {
      return null;
    }
    WorkflowDefinition definition = DefinitionCodec.fromAvro(def);
    converted.put(key, definition);
    return definition;
  }

  private String latestKey(String name) {
    String latest = null;
    int latestVersion = 0;
    try (KeyValueIterator<String, WorkflowDef> it =
        store.prefixScan(name + ":", new StringSerializer())) {
      while (it.hasNext()) {
        var entry = it.next();
        if (entry.value != null
            && entry.value.getName().equals(name)
            && entry.value.getVersion() > latestVersion) {
          latestVersion = entry.value.getVersion();
          latest = entry.key;
        }
      }
    }
    return latest;
  }
}
