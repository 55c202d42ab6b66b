package io.weft.core.internals.coordinator;

import io.weft.core.api.WorkflowDefinition;
import io.weft.schemas.definitions.WorkflowDef;
import java.util.Map;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.state.KeyValueStore;

/** Keeps the global definitions store in step with the definitions topic. */
final class DefinitionsUpdater implements Processor<String, WorkflowDef, Void, Void> {

  private final Map<String, WorkflowDefinition> converted;
  private KeyValueStore<String, WorkflowDef> store;

  /**
   * @param converted the run processors' converted definitions, to forget changed ones
   */
  DefinitionsUpdater(Map<String, WorkflowDefinition> converted) {
    this.converted = converted;
  }

  @Override
  public void init(ProcessorContext<Void, Void> context) {
    store = context.getStateStore(CoordinatorTopology.DEFINITIONS_STORE);
  }

  @Override
  public void process(Record<String, WorkflowDef> record) {
    if (record.key() == null) {
      return;
    }
    if (record.value() == null) {
      store.delete(record.key());
    } else {
      store.put(record.key(), record.value());
    }
    converted.remove(record.key()); // after the store changed: see DefinitionLookup
  }
}
