package io.weft.cli;

import io.weft.core.api.ClientConfig;
import io.weft.core.http.HttpSettings;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import java.util.function.Function;
import picocli.CommandLine.Option;

/**
 * Where Weft runs, shared by the commands: a properties file whose keys are the component's config
 * keys ({@code --config}), overridden by the options given. An option not given takes the value of
 * its environment variable ({@code WEFT_BOOTSTRAP_SERVERS}, {@code WEFT_SCHEMA_REGISTRY_URL},
 * {@code WEFT_QUERY_URL}, {@code WEFT_QUERY_TOKEN_FILE}, {@code WEFT_TOPIC_PREFIX}) if that is set.
 *
 * <p>The query API's bearer token is never an option (a command line is visible to every user of
 * the machine): {@code --query-token-file}, the environment variable {@code WEFT_QUERY_TOKEN}, or
 * {@code weft.query.token}/{@code weft.query.token.file} in {@code --config}, in that order of
 * precedence.
 */
final class ConnectionOptions {

  /** The environment variable that holds the query API's token. */
  static final String TOKEN_ENV = "WEFT_QUERY_TOKEN";

  /** Where environment variables are read; a map in tests. */
  Function<String, String> env = System::getenv;

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "Properties file of the component's config keys; options override it.")
  Path config;

  @Option(
      names = "--bootstrap-servers",
      defaultValue = "${env:WEFT_BOOTSTRAP_SERVERS}",
      paramLabel = "HOST:PORT[,...]",
      description = "Kafka brokers (bootstrap.servers; env WEFT_BOOTSTRAP_SERVERS).")
  String bootstrapServers;

  @Option(
      names = "--schema-registry-url",
      defaultValue = "${env:WEFT_SCHEMA_REGISTRY_URL}",
      paramLabel = "URL",
      description = "Schema registry base URL (schema.registry.url; env WEFT_SCHEMA_REGISTRY_URL).")
  String schemaRegistryUrl;

  @Option(
      names = "--query-url",
      defaultValue = "${env:WEFT_QUERY_URL}",
      paramLabel = "URL",
      description =
          "The coordinator's query API (weft.query.url; env WEFT_QUERY_URL); for run status.")
  String queryUrl;

  @Option(
      names = "--query-token-file",
      defaultValue = "${env:WEFT_QUERY_TOKEN_FILE}",
      paramLabel = "FILE",
      description =
          "File holding the bearer token for the query API, when it asks for one"
              + " (weft.query.token.file; env WEFT_QUERY_TOKEN_FILE). The token itself may be in"
              + " env WEFT_QUERY_TOKEN.")
  String queryTokenFile;

  @Option(
      names = "--topic-prefix",
      defaultValue = "${env:WEFT_TOPIC_PREFIX}",
      paramLabel = "PREFIX",
      description =
          "Prefix of Weft's topics (weft.topic.prefix; env WEFT_TOPIC_PREFIX; default: weft.).")
  String topicPrefix;

  /**
   * Settings for the client: the file's keys, then the options, the query URL and token included.
   */
  Map<String, Object> clientSettings() {
    Map<String, Object> settings = componentSettings();
    put(settings, ClientConfig.QUERY_URL_CONFIG, queryUrl);
    token(settings, HttpSettings.QUERY_TOKEN_CONFIG, env.apply(TOKEN_ENV));
    token(settings, HttpSettings.QUERY_TOKEN_FILE_CONFIG, queryTokenFile);
    return settings;
  }

  /** Sets the token (or its file), in place of any other given before. */
  private static void token(Map<String, Object> settings, String key, String value) {
    if (value != null && !value.isBlank()) {
      settings.remove(HttpSettings.QUERY_TOKEN_CONFIG);
      settings.remove(HttpSettings.QUERY_TOKEN_FILE_CONFIG);
      settings.put(key, value.strip());
    }
  }

  /** Settings for a coordinator or worker: the file's keys, then the connection options. */
  Map<String, Object> componentSettings() {
    Map<String, Object> settings = new LinkedHashMap<>(fileSettings());
    put(settings, ClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    put(settings, ClientConfig.SCHEMA_REGISTRY_URL_CONFIG, schemaRegistryUrl);
    put(settings, ClientConfig.TOPIC_PREFIX_CONFIG, topicPrefix);
    return settings;
  }

  private Map<String, Object> fileSettings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    if (config == null) {
      return settings;
    }
    Properties props = new Properties();
    try (Reader in = Files.newBufferedReader(config)) {
      props.load(in);
    } catch (IOException e) {
      throw new CliException(Weft.INVALID, "cannot read config file " + config + ": " + e);
    }
    props.stringPropertyNames().stream()
        .sorted()
        .forEach(key -> settings.put(key, props.getProperty(key).trim()));
    return settings;
  }

  private static void put(Map<String, Object> settings, String key, String value) {
    if (value != null && !value.isBlank()) {
      settings.put(key, value);
    }
  }
}
