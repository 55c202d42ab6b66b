package io.weft.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import io.weft.schemas.commands.RunCommand;
import io.weft.schemas.definitions.WorkflowDef;
import io.weft.schemas.events.RunEvent;
import io.weft.schemas.internal.RunState;
import io.weft.schemas.models.ModelAliasChanged;
import io.weft.schemas.models.ModelVersion;
import io.weft.schemas.results.TaskReport;
import io.weft.schemas.tasks.TaskRequest;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** The schemas are the public contract: every named type and every field explains itself. */
class SchemaDocumentationTest {

  private static final List<Schema> TOP_LEVEL =
      List.of(
          WorkflowDef.getClassSchema(),
          RunCommand.getClassSchema(),
          TaskRequest.getClassSchema(),
          io.weft.schemas.tasks.TaskTypeDeclared.getClassSchema(),
          TaskReport.getClassSchema(),
          RunEvent.getClassSchema(),
          ModelVersion.getClassSchema(),
          ModelAliasChanged.getClassSchema(),
          RunState.getClassSchema());

  @Test
  void shouldDocumentEveryNamedTypeAndField() {
    // given
    Set<String> seen = new HashSet<>();
    List<String> undocumented = new ArrayList<>();

    // when
    TOP_LEVEL.forEach(schema -> collectUndocumented(schema, seen, undocumented));

    // then
    assertThat(seen).hasSizeGreaterThan(30);
    assertThat(undocumented).isEmpty();
  }

  @Test
  void shouldKeepInternalStateOutOfThePublicNamespaces() {
    // given
    Set<String> seen = new HashSet<>();
    List<String> ignored = new ArrayList<>();

    // when
    TOP_LEVEL.stream()
        .filter(s -> s != RunState.getClassSchema())
        .forEach(schema -> collectUndocumented(schema, seen, ignored));

    // then
    assertThat(seen).noneMatch(name -> name.startsWith("io.weft.schemas.internal."));
  }

  private static void collectUndocumented(
      Schema schema, Set<String> seen, List<String> undocumented) {
    switch (schema.getType()) {
      case RECORD -> {
        if (!seen.add(schema.getFullName())) {
          return;
        }
        requireDoc(schema.getFullName(), schema.getDoc(), undocumented);
        for (Schema.Field field : schema.getFields()) {
          requireDoc(schema.getFullName() + "." + field.name(), field.doc(), undocumented);
          collectUndocumented(field.schema(), seen, undocumented);
        }
      }
      case ENUM -> {
        if (seen.add(schema.getFullName())) {
          requireDoc(schema.getFullName(), schema.getDoc(), undocumented);
        }
      }
      case UNION -> schema.getTypes().forEach(t -> collectUndocumented(t, seen, undocumented));
      case ARRAY -> collectUndocumented(schema.getElementType(), seen, undocumented);
      case MAP -> collectUndocumented(schema.getValueType(), seen, undocumented);
      default -> {}
    }
  }

  private static void requireDoc(String name, String doc, List<String> undocumented) {
    if (doc == null || doc.isBlank()) {
      undocumented.add(name);
    }
  }
}
