package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ParamsTest {

  @Test
  void shouldParseValuesAsJsonWhenTheyParse() {
    // when
    Map<String, JsonNode> params =
        Params.parse(
            List.of("epochs=5", "lr=0.01", "grid=[1,2]", "on=true", "cfg={\"a\":1}", "q=\"7\""));

    // then
    assertThat(params.get("epochs").isInt()).isTrue();
    assertThat(params.get("epochs").asInt()).isEqualTo(5);
    assertThat(params.get("lr").asDouble()).isEqualTo(0.01);
    assertThat(params.get("grid").toString()).isEqualTo("[1,2]");
    assertThat(params.get("on").isBoolean()).isTrue();
    assertThat(params.get("cfg").get("a").asInt()).isEqualTo(1);
    assertThat(params.get("q").isTextual()).isTrue();
    assertThat(params.get("q").asText()).isEqualTo("7");
  }

  @Test
  void shouldTakeValuesAsStringsWhenTheyAreNotJson() {
    // when
    Map<String, JsonNode> params =
        Params.parse(List.of("name=mnist", "path=data/x=1", "empty=", "two=a b"));

    // then
    assertThat(params.get("name").asText()).isEqualTo("mnist");
    assertThat(params.get("path").asText()).isEqualTo("data/x=1");
    assertThat(params.get("empty").isTextual()).isTrue();
    assertThat(params.get("empty").asText()).isEmpty();
    assertThat(params.get("two").asText()).isEqualTo("a b");
  }

  @Test
  void shouldRejectAParameterWithoutAKey() {
    // when / then
    assertThatThrownBy(() -> Params.parse(List.of("novalue")))
        .isInstanceOf(CliException.class)
        .hasMessageContaining("key=value");
  }

  @Test
  void shouldExit2ForAMalformedParameterOfWeftRun() {
    // when
    Cli.Result result = Cli.run("run", "src/test/resources/workflows/echo.yaml", "--param", "=x");

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).isEqualTo("weft: parameter '=x' is not of the form key=value\n");
  }
}
