package io.weft.workers.internals.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The processes whose environment holds {@code WEFT_EXEC_TOKEN=<token>}: those an exec program
 * started, wherever they were reparented (Linux {@code /proc}; elsewhere none are found).
 */
final class Leftovers {

  static final String TOKEN_VARIABLE = "WEFT_EXEC_TOKEN";

  private Leftovers() {}

  static List<ProcessHandle> withToken(String token) {
    byte[] needle = (TOKEN_VARIABLE + "=" + token).getBytes(StandardCharsets.UTF_8);
    long self = ProcessHandle.current().pid();
    return ProcessHandle.allProcesses()
        .filter(h -> h.pid() != self && holds(h.pid(), needle))
        .toList();
  }

  private static boolean holds(long pid, byte[] needle) {
    byte[] environ;
    try {
      environ = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "environ"));
    } catch (IOException | SecurityException e) {
      return false; // ended meanwhile, or not ours to read
    }
    outer:
    for (int i = 0; i + needle.length <= environ.length; i++) {
      if (i > 0 && environ[i - 1] != 0) {
        continue; // variables start after a NUL
      }
      for (int j = 0; j < needle.length; j++) {
        if (environ[i + j] != needle[j]) {
          continue outer;
        }
      }
      if (i + needle.length == environ.length || environ[i + needle.length] == 0) {
        return true;
      }
    }
    return false;
  }
}
