package io.weft.serving;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * One HTTP/1.1 connection to a server, spoken by hand: the test writes requests as bytes, pipelined
 * if it likes, and reads the answers one after another. Every read waits at most {@link
 * ServingFixture#TIMEOUT}.
 */
final class RawConnection implements AutoCloseable {

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;

  RawConnection(URI server) throws IOException {
    socket = new Socket(server.getHost(), server.getPort());
    socket.setSoTimeout((int) ServingFixture.TIMEOUT.toMillis());
    in = socket.getInputStream();
    out = socket.getOutputStream();
  }

  /** A request's head: {@code method target HTTP/1.1}, {@code Host}, then {@code headers}. */
  static String head(String method, String target, String... headers) {
    StringBuilder head = new StringBuilder(method + " " + target + " HTTP/1.1\r\nHost: test\r\n");
    for (String header : headers) {
      head.append(header).append("\r\n");
    }
    return head.append("\r\n").toString();
  }

  /** A request with a JSON body. */
  static String post(String target, String json) {
    return head(
            "POST",
            target,
            "Content-Type: application/json",
            "Content-Length: " + json.getBytes(StandardCharsets.UTF_8).length)
        + json;
  }

  RawConnection send(String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
    return this;
  }

  /** An answer: its status, its headers by lower-case name, its body. */
  record Answer(int status, Map<String, String> headers, String body) {}

  /** Reads the next answer, one with a {@code Content-Length}. */
  Answer read() throws IOException {
    String status = line();
    Map<String, String> headers = new TreeMap<>();
    for (String line = line(); !line.isEmpty(); line = line()) {
      int colon = line.indexOf(':');
      headers.put(
          line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
          line.substring(colon + 1).trim());
    }
    byte[] body = in.readNBytes(Integer.parseInt(headers.getOrDefault("content-length", "0")));
    return new Answer(
        Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
  }

  /**
   * Whether the server closes the connection within {@link ServingFixture#TIMEOUT} with nothing
   * more to read.
   */
  /**
   * Whether the server closed the connection cleanly (an end of stream, not a reset): what a server
   * that drains a refused body does. Waits for the socket's read timeout.
   */
  boolean isClosedCleanly() throws IOException {
    return in.read() == -1;
  }

  boolean isClosed() throws IOException {
    try {
      return in.read() == -1;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    }
  }

  private String line() throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    for (int b = in.read(); b != '\n'; b = in.read()) {
      if (b == -1) {
        throw new IOException("connection closed in the middle of an answer's head");
      }
      if (b != '\r') {
        line.write(b);
      }
    }
    return line.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
