package io.weft.core.internals.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.CharRange;

class ReferencePropertiesTest {

  @Property
  void shouldParseTheCanonicalTextBackToTheSameReference(
      @ForAll("references") Reference reference) {
    // given
    String text = reference.toString();

    // when
    Reference parsed = Reference.parse(text);

    // then
    assertThat(parsed).isEqualTo(reference);
  }

  @Property
  void shouldResolveTextWithoutDollarSignsToItself(
      @ForAll @CharRange(from = ' ', to = '~') String text) {
    // given
    String plain = text.replace("$", "");

    // when
    JsonNode resolved = Template.parse(plain).resolve(MapBindings.empty());

    // then
    assertThat(resolved).isEqualTo(TextNode.valueOf(plain));
  }

  @Provide
  Arbitrary<Reference> references() {
    Arbitrary<String> segment =
        Arbitraries.strings()
            .withCharRange('a', 'z')
            .withChars('0', '9', '_', '-')
            .ofMinLength(1)
            .ofMaxLength(8);
    Arbitrary<List<String>> path = segment.list().ofMaxSize(3);
    return Arbitraries.oneOf(
        Combinators.combine(segment, path)
            .as((name, p) -> new Reference(Reference.Kind.PARAM, null, name, p)),
        Combinators.combine(segment, segment, path)
            .as((task, name, p) -> new Reference(Reference.Kind.TASK_OUTPUT, task, name, p)),
        path.map(p -> new Reference(Reference.Kind.ITEM, null, null, p)));
  }
}
