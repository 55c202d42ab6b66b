package io.weft.embedded;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.weft.embedded.SecuredKafka.ClientAuth;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The secured broker: authenticated clients only, and only what ACLs grant. */
class SecuredKafkaIT {

  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(ClientAuth.class)
  void shouldAllowOnlyWhatAnAclGrantsToAnAuthenticatedUser(ClientAuth auth) throws Exception {
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    try (SecuredKafka kafka = SecuredKafka.start(dir.resolve("kafka"), pki, auth)) {
      kafka.addUser("alice", "alice-secret");
      try (Admin admin = Admin.create(kafka.adminSettings())) {
        admin
            .createTopics(
                List.of(new NewTopic("granted", 1, (short) 1), new NewTopic("other", 1, (short) 1)))
            .all()
            .get(30, TimeUnit.SECONDS);
        admin
            .createAcls(
                List.of(
                    new AclBinding(
                        new ResourcePattern(ResourceType.TOPIC, "granted", PatternType.LITERAL),
                        new AccessControlEntry(
                            "User:alice", "*", AclOperation.WRITE, AclPermissionType.ALLOW))))
            .all()
            .get(30, TimeUnit.SECONDS);
      }
      try (KafkaProducer<String, String> producer =
          producer(kafka, kafka.clientSecurity("alice", "alice-secret"))) {
        assertThat(
                producer
                    .send(new ProducerRecord<>("granted", "k", "v"))
                    .get(30, TimeUnit.SECONDS)
                    .offset())
            .isZero();
        assertThatThrownBy(
                () ->
                    producer
                        .send(new ProducerRecord<>("other", "k", "v"))
                        .get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(TopicAuthorizationException.class);
      }
    }
  }

  @ParameterizedTest
  @EnumSource(ClientAuth.class)
  void shouldRefuseAClientThatCannotAuthenticate(ClientAuth auth) throws Exception {
    LocalPki pki = LocalPki.create(dir.resolve("pki"));
    try (SecuredKafka kafka = SecuredKafka.start(dir.resolve("kafka"), pki, auth)) {
      kafka.addUser("alice", "alice-secret");
      Map<String, Object> security;
      if (auth == ClientAuth.SCRAM) {
        security = kafka.clientSecurity("alice", "wrong");
      } else {
        // a certificate from another authority
        security = new HashMap<>(kafka.clientSecurity("alice", null));
        LocalPki stranger = LocalPki.create(dir.resolve("stranger"));
        security.put("ssl.keystore.location", stranger.keyStore("alice").toString());
        security.put("ssl.keystore.password", stranger.password());
        security.put("ssl.key.password", stranger.password());
      }
      security.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, 5_000);
      try (KafkaProducer<String, String> producer = producer(kafka, security)) {
        assertThatThrownBy(
                () ->
                    producer
                        .send(new ProducerRecord<>("granted", "k", "v"))
                        .get(30, TimeUnit.SECONDS))
            .isInstanceOf(ExecutionException.class)
            .hasCauseInstanceOf(AuthenticationException.class);
      }
    }
  }

  private static KafkaProducer<String, String> producer(
      SecuredKafka kafka, Map<String, Object> security) {
    Map<String, Object> config = new HashMap<>(security);
    config.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    config.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, 30_000);
    return new KafkaProducer<>(config);
  }
}
