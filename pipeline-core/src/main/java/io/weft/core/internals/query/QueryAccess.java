package io.weft.core.internals.query;

import io.weft.core.http.AccessRule;
import io.weft.core.http.Scope;
import java.util.Optional;

/**
 * The scope each endpoint of the query API and the web UI needs when the coordinator requires
 * tokens ({@code weft.http.auth.tokens.file}):
 *
 * <ul>
 *   <li>none: {@code /health} (a probe), and the UI's pages and scripts ({@code GET /ui/...} but
 *       {@code /ui/api/}), which hold no data: the page asks for a token and sends it with each of
 *       its requests;
 *   <li>{@link Scope#WRITE}: {@code POST /ui/api/...}, the UI's actions (cancel, retry, pause,
 *       resume a run; promote, roll back a model);
 *   <li>{@link Scope#READ}: everything else: {@code /runs}, {@code /runs/{id}}, {@code
 *       /run-counts}, {@code /definitions/...}, {@code /metrics}, the UI's data ({@code GET
 *       /ui/api/...}, its event stream included), and any request to a path or with a method no
 *       endpoint answers (refused before it learns so).
 * </ul>
 */
final class QueryAccess implements AccessRule {

  private static final String UI = "/ui";
  private static final String UI_API = "/ui/api/";

  @Override
  public Optional<Scope> required(String method, String path) {
    if (path.equals("/health")) {
      return Optional.empty();
    }
    if (path.startsWith(UI_API)) {
      return Optional.of(method.equals("POST") ? Scope.WRITE : Scope.READ);
    }
    boolean page = path.equals(UI) || path.startsWith(UI + "/");
    if (page && method.equals("GET")) {
      return Optional.empty();
    }
    return Optional.of(Scope.READ);
  }
}
