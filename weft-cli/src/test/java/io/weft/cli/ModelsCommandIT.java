package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.weft.core.api.ModelRegistry;
import io.weft.embedded.WeftStack;
import io.weft.embedded.junit.WeftStackExtension;
import io.weft.schemas.GeneratedClasses;
import io.weft.schemas.common.ArtifactRef;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code weft models} against a real broker and registry. */
@ExtendWith(WeftStackExtension.class)
class ModelsCommandIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static CliKit kit;

  @BeforeAll
  static void start(WeftStack stack) throws Exception {
    GeneratedClasses.trust();
    kit = new CliKit(stack, "cli-models").startCoordinator();
    try (ModelRegistry registry = ModelRegistry.create(kit.common())) {
      for (int v = 1; v <= 2; v++) {
        registry.register(
            "digits",
            new ArtifactRef("file:///models/digits-" + v, "ab" + v + "0".repeat(61), 10L, "x/y"),
            Map.of("accuracy", v == 1 ? 0.95 : 0.93),
            Map.of("architecture", "mlp"),
            "run-" + v,
            "train");
      }
    }
  }

  @AfterAll
  static void stop() {
    kit.close();
  }

  private static Cli.Result weft(String... args) {
    return kit.weft(args);
  }

  @Test
  void shouldPromoteRefuseAWorseChallengerAndRollBack() throws Exception {
    // when / then: v1 promoted
    Cli.Result first = weft("models", "promote", "digits", "1");
    assertThat(first.exitCode()).as(first.err()).isEqualTo(Weft.OK);
    assertThat(first.out()).contains("digits: production is now version 1");

    // a worse challenger is refused with exit 1
    Cli.Result refused = weft("models", "promote", "digits", "2", "--if-better", "accuracy");
    assertThat(refused.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(refused.err()).contains("digits version 2 not promoted");

    // promoted without the comparison, then rolled back to 1
    assertThat(weft("models", "promote", "digits", "2").exitCode()).isEqualTo(Weft.OK);
    Cli.Result rollback = weft("models", "rollback", "digits");
    assertThat(rollback.exitCode()).as(rollback.err()).isEqualTo(Weft.OK);
    assertThat(rollback.out()).contains("rolled back from version 2 to version 1");

    // list and show say so, as a table and as JSON
    Cli.Result list = weft("models", "list");
    assertThat(list.out()).containsPattern("(?m)^digits +2 +1 +accuracy=0.9500");
    JsonNode shown = JSON.readTree(weft("models", "show", "digits", "--output", "json").out());
    assertThat(shown.get("versions")).hasSize(2);
    assertThat(shown.get("production").get("version").asInt()).isEqualTo(1);
    assertThat(shown.get("production").get("change").asText()).isEqualTo("ROLLBACK");
    assertThat(weft("models", "show", "digits").out()).contains("1 (production)");
  }

  @Test
  void shouldSayAnUnknownModelIsNotFoundAndExit1() {
    Cli.Result show = weft("models", "show", "nope");
    Cli.Result promote = weft("models", "promote", "nope", "1");

    assertThat(show.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(show.err()).contains("model 'nope' not found");
    assertThat(promote.exitCode()).isEqualTo(Weft.FAILED);
    assertThat(promote.err()).contains("nope");
  }
}
