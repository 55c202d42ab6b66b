package io.weft.schemas.registry;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;

/**
 * The Confluent Schema Registry API, as Weft uses it. {@link #create(String)} gives an HTTP client
 * for a real registry, or, for a {@code mock://<scope>} URL, an in-memory registry shared by every
 * client of that scope in the JVM (for unit tests, as Confluent's serdes allow).
 */
public interface SchemaRegistryClient {

  /** The API's content type. */
  String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  /** The URL scheme of in-memory registries. */
  String MOCK_SCHEME = "mock://";

  /** A client for one base URL, without authentication, with a 10 s timeout. */
  static SchemaRegistryClient create(String baseUrl) {
    return create(List.of(baseUrl), Optional.empty(), Duration.ofSeconds(10));
  }

  /** A client for the given base URLs; {@code mock://<scope>} selects an in-memory registry. */
  static SchemaRegistryClient create(
      List<String> baseUrls, Optional<String> basicAuthUserInfo, Duration timeout) {
    return create(baseUrls, basicAuthUserInfo, timeout, RegistryTls.DEFAULT);
  }

  /**
   * A client for the given base URLs, reaching {@code https://} ones with {@code tls}; {@code
   * mock://<scope>} selects an in-memory registry.
   *
   * @throws org.apache.kafka.common.config.ConfigException naming the setting if a store cannot be
   *     read
   */
  static SchemaRegistryClient create(
      List<String> baseUrls,
      Optional<String> basicAuthUserInfo,
      Duration timeout,
      RegistryTls tls) {
    if (baseUrls.size() == 1 && baseUrls.get(0).startsWith(MOCK_SCHEME)) {
      return InMemorySchemaRegistry.scope(baseUrls.get(0).substring(MOCK_SCHEME.length()));
    }
    return new HttpSchemaRegistryClient(baseUrls, basicAuthUserInfo, timeout, tls);
  }

  /**
   * Registers {@code schema} under {@code subject} ({@code POST /subjects/{subject}/versions}), or
   * finds it if it is registered already, and returns its id.
   *
   * @throws IncompatibleSchemaException if the subject's compatibility level refuses it
   */
  int register(String subject, Schema schema);

  /** The schema with the given id ({@code GET /schemas/ids/{id}}). */
  Schema schemaById(int id);

  /**
   * Finds {@code schema} among the versions of {@code subject} ({@code POST /subjects/{subject}}).
   *
   * @throws SchemaNotFoundException if the subject does not hold it
   * @throws SubjectNotFoundException if the subject does not exist
   */
  SchemaMetadata lookup(String subject, Schema schema);

  /**
   * Whether {@code schema} may be registered under {@code subject} as its next version ({@code POST
   * /compatibility/subjects/{subject}/versions/latest}). A subject without versions accepts any
   * schema.
   */
  boolean isCompatible(String subject, Schema schema);

  /** The subject's version numbers ({@code GET /subjects/{subject}/versions}). */
  List<Integer> versions(String subject);

  /** One version of a subject ({@code GET /subjects/{subject}/versions/{version}}). */
  SchemaMetadata version(String subject, int version);

  /** The subject's latest version ({@code GET /subjects/{subject}/versions/latest}). */
  SchemaMetadata latest(String subject);

  /** Every subject of the registry ({@code GET /subjects}). */
  List<String> subjects();

  /** Sets the global compatibility level ({@code PUT /config}). */
  void setCompatibility(CompatibilityLevel level);

  /** Sets one subject's compatibility level ({@code PUT /config/{subject}}). */
  void setCompatibility(String subject, CompatibilityLevel level);

  /** The global compatibility level ({@code GET /config}). */
  CompatibilityLevel compatibility();
}
