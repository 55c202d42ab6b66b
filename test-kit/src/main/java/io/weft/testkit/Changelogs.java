package io.weft.testkit;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.awaitility.Awaitility;

/** The changelog topics of a coordinator, as a test that loses its state deletes them. */
public final class Changelogs {

  private static final Duration WAIT = Duration.ofSeconds(30);

  private Changelogs() {}

  /**
   * Deletes every changelog topic of coordinator {@code applicationId} ({@code
   * <applicationId>-<store>-changelog}) and waits until the broker lists none of them; returns
   * their names.
   */
  public static List<String> deleteAll(String bootstrapServers, String applicationId)
      throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
      List<String> changelogs = list(admin, applicationId);
      admin.deleteTopics(changelogs).all().get(WAIT.toSeconds(), TimeUnit.SECONDS);
      Awaitility.await().atMost(WAIT).until(() -> list(admin, applicationId).isEmpty());
      return changelogs;
    }
  }

  private static List<String> list(Admin admin, String applicationId) throws Exception {
    return admin.listTopics().names().get(WAIT.toSeconds(), TimeUnit.SECONDS).stream()
        .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-changelog"))
        .sorted()
        .toList();
  }
}
