package io.weft.core.internals.expr;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.LongStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Properties of references and templates, checked on values drawn from fixed random seeds. */
class ReferencePropertiesTest {

  private static final String SEGMENT_CHARS = "abcdefghijklmnopqrstuvwxyz0123456789_-";

  static Stream<Long> seeds() {
    return LongStream.range(0, 500).boxed();
  }

  private static String segment(Random random) {
    StringBuilder s = new StringBuilder();
    int length = 1 + random.nextInt(8);
    for (int i = 0; i < length; i++) {
      s.append(SEGMENT_CHARS.charAt(random.nextInt(SEGMENT_CHARS.length())));
    }
    return s.toString();
  }

  private static Reference reference(Random random) {
    List<String> path = new ArrayList<>();
    for (int i = random.nextInt(4); i > 0; i--) {
      path.add(segment(random));
    }
    return switch (random.nextInt(3)) {
      case 0 -> new Reference(Reference.Kind.PARAM, null, segment(random), path);
      case 1 -> new Reference(Reference.Kind.TASK_OUTPUT, segment(random), segment(random), path);
      default -> new Reference(Reference.Kind.ITEM, null, null, path);
    };
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void shouldParseTheCanonicalTextBackToTheSameReference(long seed) {
    // given
    Reference reference = reference(new Random(seed));

    // when
    Reference parsed = Reference.parse(reference.toString());

    // then
    assertThat(parsed).isEqualTo(reference);
  }

  @ParameterizedTest
  @MethodSource("seeds")
  void shouldResolveTextWithoutDollarSignsToItself(long seed) {
    // given: printable ASCII without '$'
    Random random = new Random(seed);
    StringBuilder text = new StringBuilder();
    for (int i = random.nextInt(40); i > 0; i--) {
      char c = (char) (' ' + random.nextInt('~' - ' ' + 1));
      text.append(c == '$' ? 'x' : c);
    }
    String plain = text.toString();

    // when
    JsonNode resolved = Template.parse(plain).resolve(MapBindings.empty());

    // then
    assertThat(resolved).isEqualTo(TextNode.valueOf(plain));
  }
}
