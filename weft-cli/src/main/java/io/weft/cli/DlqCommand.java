package io.weft.cli;

import io.weft.core.api.DeadLetterQueue;
import io.weft.core.api.DeadLetterQueue.DeadLetter;
import io.weft.core.api.DeadLetterQueue.Replayed;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code weft dlq}: the dead-letter topic. */
@Command(
    name = "dlq",
    mixinStandardHelpOptions = true,
    description =
        "Lists and shows the records set aside on the dead-letter topic, and replays chosen ones"
            + " to where they came from once what was wrong is fixed.",
    subcommands = {DlqCommand.ListLetters.class, DlqCommand.Show.class, DlqCommand.Replay.class})
final class DlqCommand {

  private DlqCommand() {}

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description =
          "The newest dead letters: id (partition:offset), when, where from, which component set"
              + " it aside and why, and whether it was replayed.")
  static final class ListLetters implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Option(names = "--limit", defaultValue = "50", description = "At most this many (newest).")
    int limit;

    @Override
    public Integer call() {
      DeadLetterQueue dlq = DeadLetterQueue.create(connection.clientSettings());
      List<List<String>> rows = new ArrayList<>();
      rows.add(List.of("ID", "AT", "FROM", "COMPONENT", "ERROR", "REPLAYED"));
      for (DeadLetter letter : dlq.list(limit)) {
        rows.add(
            List.of(
                letter.id(),
                letter.timestamp().toString(),
                origin(letter),
                String.valueOf(letter.component()),
                shorten(letter.errorClass() + ": " + letter.errorMessage(), 80),
                letter.replay().isPresent() ? "yes" : "no"));
      }
      PrintWriter out = spec.commandLine().getOut();
      if (rows.size() == 1) {
        out.println("no dead letters");
      } else {
        Output.table(out, rows);
      }
      return Weft.OK;
    }
  }

  @Command(
      name = "show",
      mixinStandardHelpOptions = true,
      description = "One dead letter: its headers, key and value (text if it is, else its bytes).")
  static final class Show implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "ID", description = "partition:offset, as listed.")
    String id;

    @Override
    public Integer call() {
      DeadLetterQueue dlq = DeadLetterQueue.create(connection.clientSettings());
      DeadLetter letter = find(dlq, id);
      PrintWriter out = spec.commandLine().getOut();
      out.println("id:        " + letter.id());
      out.println("at:        " + letter.timestamp());
      out.println("from:      " + origin(letter));
      out.println("component: " + letter.component());
      out.println("error:     " + letter.errorClass() + ": " + letter.errorMessage());
      out.println("replayed:  " + letter.replay().orElse("no"));
      out.println("headers:");
      new TreeMap<>(letter.headers()).forEach((k, v) -> out.println("  " + k + ": " + v));
      out.println("key:       " + describe(letter.key()));
      out.println("value:     " + describe(letter.value()));
      return Weft.OK;
    }
  }

  @Command(
      name = "replay",
      mixinStandardHelpOptions = true,
      description = {
        "Writes each dead letter back to the topic and partition it came from (key, value and"
            + " original headers, plus weft.dlq.replayed-from) and marks it replayed, in one"
            + " transaction.",
        "A dead letter replayed before is refused unless --force."
      })
  static final class Replay implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin ConnectionOptions connection;

    @Parameters(paramLabel = "ID", arity = "1..*", description = "partition:offset, as listed.")
    List<String> ids;

    @Option(names = "--force", description = "Replay even a dead letter replayed before.")
    boolean force;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      DeadLetterQueue dlq = DeadLetterQueue.create(connection.clientSettings());
      for (String id : ids) {
        try {
          Replayed replayed = dlq.replay(id, force);
          out.println(
              id
                  + " replayed to "
                  + replayed.topic()
                  + "-"
                  + replayed.partition()
                  + "@"
                  + replayed.offset());
        } catch (IllegalArgumentException e) {
          String message = e.getMessage();
          throw new CliException(
              Weft.FAILED, message.contains("must be forced") ? message + " (--force)" : message);
        }
      }
      return Weft.OK;
    }
  }

  private static DeadLetter find(DeadLetterQueue dlq, String id) {
    try {
      return dlq.get(id).orElseThrow(() -> new CliException(Weft.FAILED, "no dead letter " + id));
    } catch (IllegalArgumentException e) {
      throw new CliException(Weft.INVALID, e.getMessage());
    }
  }

  private static String origin(DeadLetter letter) {
    return letter.originTopic() == null
        ? "?"
        : letter.originTopic()
            + "-"
            + letter.originPartition().map(String::valueOf).orElse("?")
            + "@"
            + letter.originOffset().map(String::valueOf).orElse("?");
  }

  /** Text if the bytes are printable UTF-8, else their length and first bytes in hex. */
  static String describe(byte[] bytes) {
    if (bytes == null) {
      return "(null)";
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    boolean printable =
        text.codePoints().allMatch(c -> c == '\n' || c == '\t' || (c >= 0x20 && c != 0xFFFD));
    if (printable) {
      return shorten(text, 2000);
    }
    StringBuilder hex = new StringBuilder(bytes.length + " bytes:");
    for (int i = 0; i < Math.min(bytes.length, 64); i++) {
      hex.append(String.format(" %02x", bytes[i]));
    }
    return hex.append(bytes.length > 64 ? " ..." : "").toString();
  }

  private static String shorten(String text, int max) {
    return text.length() <= max ? text : text.substring(0, max - 1) + "…";
  }
}
