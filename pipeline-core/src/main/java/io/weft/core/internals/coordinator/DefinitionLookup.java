package io.weft.core.internals.coordinator;

import io.weft.core.api.WorkflowDefinition;
import io.weft.core.internals.definition.DefinitionCodec;
import io.weft.schemas.definitions.WorkflowDef;
import java.util.Map;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.state.KeyValueIterator;
import org.apache.kafka.streams.state.ReadOnlyKeyValueStore;

/**
 * Reads registered definitions from the coordinator's global store (key {@code name:version}),
 * converting each once: a registered version never changes.
 */
final class DefinitionLookup {

  private final ReadOnlyKeyValueStore<String, WorkflowDef> store;
  private final Map<String, WorkflowDefinition> converted;

  /**
   * @param converted definitions converted so far, by key, shared with the {@link
   *     DefinitionsUpdater} that removes a key whenever its record changes
   */
  DefinitionLookup(
      ReadOnlyKeyValueStore<String, WorkflowDef> store, Map<String, WorkflowDefinition> converted) {
    this.store = store;
    this.converted = converted;
  }

  /** The definition {@code name:version}, or the latest version if {@code version} is null. */
  WorkflowDefinition find(String name, Integer version) {
    String key = version != null ? WorkflowDefinition.key(name, version) : latestKey(name);
    if (key == null) {
      return null;
    }
    // computeIfAbsent holds the key while it reads the store, so an update's removal (made after
    // the store changed) cannot be overtaken by a conversion of the record it replaced
    return converted.computeIfAbsent(
        key,
        k -> {
          WorkflowDef def = store.get(k);
          return def == null ? null : DefinitionCodec.fromAvro(def);
        });
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
