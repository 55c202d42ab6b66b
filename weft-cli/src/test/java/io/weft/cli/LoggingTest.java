package io.weft.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The command's log format and levels, from its options and environment. */
class LoggingTest {

  private static final String EXAMPLE = "../examples/mnist.yaml";

  @AfterEach
  void reset() {
    System.clearProperty(Logging.FORMAT_PROPERTY);
    Configurator.setLevel("io.weft.cli.test", (Level) null);
  }

  @Test
  void shouldChooseJsonFromTheOptionBeforeTheEnvironment() {
    // when
    Logging.chooseFormat(
        new String[] {"worker", "--log-format", "json", "train"},
        Map.of("WEFT_LOG_FORMAT", "text"));

    // then
    assertThat(System.getProperty(Logging.FORMAT_PROPERTY)).isEqualTo("json");
  }

  @Test
  void shouldChooseTheFormatFromTheEnvironmentWithoutTheOption() {
    // when
    Logging.chooseFormat(new String[] {"worker", "train"}, Map.of("WEFT_LOG_FORMAT", "json"));

    // then
    assertThat(System.getProperty(Logging.FORMAT_PROPERTY)).isEqualTo("json");
  }

  @Test
  void shouldRefuseAnUnknownFormatNamingTheChoices() {
    // when
    Cli.Result result = Cli.run("validate", "--log-format", "xml", EXAMPLE);

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("--log-format").contains("text, json");
  }

  @Test
  void shouldSetTheLevelOfTheLoggerNamed() {
    // when
    Cli.Result result = Cli.run("validate", "--log-level", "io.weft.cli.test=DEBUG", EXAMPLE);

    // then
    assertThat(result.exitCode()).as(result.err()).isEqualTo(Weft.OK);
    assertThat(LogManager.getLogger("io.weft.cli.test").getLevel()).isEqualTo(Level.DEBUG);
  }

  @Test
  void shouldRefuseALevelThatIsNoneNamingTheLevels() {
    // when
    Cli.Result result = Cli.run("validate", "--log-level", "io.weft=LOUD", EXAMPLE);

    // then
    assertThat(result.exitCode()).isEqualTo(Weft.INVALID);
    assertThat(result.err()).contains("'io.weft=LOUD'").contains("OFF, ERROR, WARN, INFO, DEBUG");
  }
}
