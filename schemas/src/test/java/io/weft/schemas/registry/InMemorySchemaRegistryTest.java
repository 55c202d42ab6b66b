package io.weft.schemas.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.avro.Schema;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class InMemorySchemaRegistryTest {

  private static final Schema V1 = parse("[{\"name\":\"a\",\"type\":\"int\"}]");
  private static final Schema V2 =
      parse(
          "[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"b\",\"type\":\"string\",\"default\":\"x\"}]");
  private static final Schema BREAKING =
      parse("[{\"name\":\"a\",\"type\":\"int\"},{\"name\":\"c\",\"type\":\"string\"}]");

  @AfterEach
  void dropScope() {
    InMemorySchemaRegistry.drop("unit");
  }

  @Test
  void shouldShareOneRegistryPerMockScope() {
    // given
    SchemaRegistryClient first = SchemaRegistryClient.create("mock://unit");

    // when
    int id = first.register("t-value", V1);

    // then
    assertThat(SchemaRegistryClient.create("mock://unit").schemaById(id)).isEqualTo(V1);
    assertThat(SchemaRegistryClient.create("mock://other").subjects()).doesNotContain("t-value");
    InMemorySchemaRegistry.drop("other");
  }

  @Test
  void shouldVersionCompatibleSchemasAndRefuseIncompatibleOnes() {
    // given
    SchemaRegistryClient registry = SchemaRegistryClient.create("mock://unit");
    registry.register("t-value", V1);

    // when
    int v2 = registry.register("t-value", V2);

    // then
    assertThat(registry.versions("t-value")).containsExactly(1, 2);
    assertThat(registry.latest("t-value").id()).isEqualTo(v2);
    assertThat(registry.isCompatible("t-value", BREAKING)).isFalse();
    assertThatThrownBy(() -> registry.register("t-value", BREAKING))
        .isInstanceOf(IncompatibleSchemaException.class);
    assertThatThrownBy(() -> registry.schemaById(99)).isInstanceOf(SchemaNotFoundException.class);
    assertThatThrownBy(() -> registry.latest("nothing-value"))
        .isInstanceOf(SubjectNotFoundException.class);
  }

  private static Schema parse(String fields) {
    return new Schema.Parser()
        .parse("{\"type\":\"record\",\"name\":\"R\",\"fields\":" + fields + "}");
  }
}
