package io.weft.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;

/**
 * HTTP/1.1 requests written byte for byte on a socket, for what {@link java.net.http.HttpClient}
 * refuses to send (malformed percent-escapes, hundreds of headers): one request per connection
 * ({@code Connection: close}), the answer read to the end within a socket timeout, so that a server
 * that hangs fails the caller.
 */
final class RawHttp {

  /** A status and a body (chunked transfer decoded). */
  record Response(int status, String body) {}

  private RawHttp() {}

  static Response send(
      String baseUrl,
      String method,
      String target,
      List<String> headers,
      byte[] body,
      int timeoutMs)
      throws IOException {
    URI base = URI.create(baseUrl);
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), timeoutMs);
      socket.setSoTimeout(timeoutMs);
      StringBuilder head = new StringBuilder();
      head.append(method).append(' ').append(target).append(" HTTP/1.1\r\n");
      head.append("Host: ")
          .append(base.getHost())
          .append(':')
          .append(base.getPort())
          .append("\r\n");
      head.append("Connection: close\r\n");
      for (String header : headers) {
        head.append(header).append("\r\n");
      }
      head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
      out.write(body);
      out.flush();
      return read(socket.getInputStream());
    }
  }

  private static Response read(InputStream in) throws IOException {
    byte[] all = in.readAllBytes();
    String text = new String(all, StandardCharsets.ISO_8859_1);
    int end = text.indexOf("\r\n\r\n");
    if (!text.startsWith("HTTP/1.1 ") || end < 0) {
      throw new IOException(
          "not an HTTP answer: " + text.substring(0, Math.min(200, text.length())));
    }
    int status = Integer.parseInt(text.substring(9, 12));
    String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
    byte[] body = java.util.Arrays.copyOfRange(all, end + 4, all.length);
    if (headers.contains("transfer-encoding: chunked")) {
      body = dechunk(body);
    }
    return new Response(status, new String(body, StandardCharsets.UTF_8));
  }

  private static byte[] dechunk(byte[] chunked) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int at = 0;
    while (at < chunked.length) {
      int lineEnd = indexOfCrlf(chunked, at);
      int size =
          Integer.parseInt(
              new String(chunked, at, lineEnd - at, StandardCharsets.ISO_8859_1).trim(), 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, lineEnd + 2, size);
      at = lineEnd + 2 + size + 2;
    }
    return out.toByteArray();
  }

  private static int indexOfCrlf(byte[] bytes, int from) {
    for (int i = from; i + 1 < bytes.length; i++) {
      if (bytes[i] == '\r' && bytes[i + 1] == '\n') {
        return i;
      }
    }
    return bytes.length;
  }
}
